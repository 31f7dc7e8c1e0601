/**
 * Type-checks every ```ts code block of README.md and docs/*.md against the package's sources.
 *
 * Each block becomes a module in `.scratch/docs-samples/` (git-ignored); a temporary tsconfig maps
 * `helpdesk-core` and `helpdesk-core/*` to `src/`, so a sample reads exactly as a consumer writes it.
 *
 * Markers, on the opening fence:
 * - ```ts            checked.
 * - ```ts no-check   a fragment (a method body, a shape sketch, two alternatives side by side):
 *                    shown as is, never compiled. Use it sparingly; prefer a sample that compiles.
 *
 * Names a host owns and docs refer to without building (`desk`, `mailer`, `sms`, `storage`, `pepper`,
 * `secrets`, `signal`, `log`) are declared once in {@link SAMPLE_PRELUDE}; a sample that declares its
 * own shadows them. Run it: `npx tsx scripts/docs-samples.ts` (the test `test/docs-samples.test.ts`
 * does the same).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One ```ts block of a markdown file. */
export interface DocSample {
  /** The markdown file, relative to the repository root. */
  file: string;
  /** The line of the opening fence, 1-based. */
  line: number;
  /** The code between the fences. */
  code: string;
  /** False when the fence says `no-check`. */
  check: boolean;
}

/** A compiler diagnostic mapped back to the markdown line it comes from. */
export interface SampleProblem {
  /** `docs/file.md:line` of the offending line of code. */
  where: string;
  /** The compiler's message, flattened. */
  message: string;
}

/** The entries a consumer imports; kept equal to `package.json` exports (see the test). */
export const PACKAGE_ENTRIES: Record<string, string> = {
  'helpdesk-core': 'src/index.ts',
  'helpdesk-core/tickets': 'src/tickets/index.ts',
  'helpdesk-core/accounts': 'src/accounts/index.ts',
  'helpdesk-core/login': 'src/login/index.ts',
  'helpdesk-core/recovery': 'src/recovery/index.ts',
  'helpdesk-core/http': 'src/http/index.ts',
  'helpdesk-core/argon2': 'src/argon2/index.ts',
  'helpdesk-core/nodemailer': 'src/nodemailer/index.ts',
  'helpdesk-core/sms-http': 'src/sms-http/index.ts',
  'helpdesk-core/memory': 'src/memory.ts',
  'helpdesk-core/postgres': 'src/postgres.ts',
  'helpdesk-core/testing': 'src/testing-entry.ts',
};

/** Host-owned names the docs use without building them; global, so a sample's own declaration wins. */
export const SAMPLE_PRELUDE = `
declare const desk: import('helpdesk-core').Helpdesk;
declare const mailer: import('helpdesk-core').Mailer;
declare const sms: import('helpdesk-core').SmsSender;
declare const storage: import('helpdesk-core').Storage;
declare const pepper: string;
declare const secrets: { pepper: string };
declare const signal: AbortSignal;
declare const log: { info(...args: unknown[]): void; warn(...args: unknown[]): void; error(...args: unknown[]): void };
`;

// ```ts or ```typescript, maybe indented (a sample inside a list item), then the flags.
const FENCE = /^(\s*)```(?:ts|typescript)(?:\s+(.*))?$/;

/** The ```ts blocks of one markdown text, in order. */
export function extractSamples(markdown: string, file: string): DocSample[] {
  const samples: DocSample[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!.trimEnd());
    if (!open) continue;
    const start = i;
    const indent = open[1]!.length;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.trimStart().startsWith('```'); i++) body.push(lines[i]!.slice(indent));
    const flags = (open[2] ?? '').split(/\s+/);
    samples.push({ file, line: start + 1, code: body.join('\n') + '\n', check: !flags.includes('no-check') });
  }
  return samples;
}

/** README.md and every docs/*.md, so pages added later are picked up without a list to update. */
export function markdownFiles(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

/** Every sample of the repository at `root`. */
export function collectSamples(root: string): DocSample[] {
  return markdownFiles(root).flatMap((file) => extractSamples(readFileSync(join(root, file), 'utf8'), file));
}

// `export {}` makes a block without imports a module too, so two samples never share a scope.
const HEADER_LINES = 1;

/** Options of {@link checkSamples}. */
export interface CheckSamplesOptions {
  /**
   * Keep `.scratch/docs-samples/` when a sample fails, to reproduce with `npx tsc -p`. Default false:
   * the folder is always removed, so `eslint .` never meets the generated files.
   */
  keepOnProblems?: boolean;
}

/** Compiles the checked samples; answers one problem per diagnostic, none when all compile. */
export function checkSamples(
  root: string,
  samples: DocSample[] = collectSamples(root),
  options: CheckSamplesOptions = {},
): SampleProblem[] {
  const dir = resolve(root, '.scratch', 'docs-samples');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const byPath = new Map<string, DocSample>();
  samples
    .filter((sample) => sample.check)
    .forEach((sample, index) => {
      const name = `${sample.file.replace(/[^a-z0-9]+/gi, '-')}-${sample.line}-${index}.ts`;
      const path = join(dir, name);
      writeFileSync(path, `export {};\n${sample.code}`);
      byPath.set(resolve(path), sample);
    });
  const prelude = join(dir, 'prelude.d.ts');
  writeFileSync(prelude, SAMPLE_PRELUDE);

  const paths = Object.fromEntries(
    Object.entries(PACKAGE_ENTRIES).map(([name, file]) => [name, [resolve(root, file)]]),
  );
  const compilerOptions: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    strict: true,
    noUncheckedIndexedAccess: true,
    esModuleInterop: true,
    skipLibCheck: true,
    isolatedModules: true,
    resolveJsonModule: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [resolve(root, 'node_modules/@types')],
    paths,
  };
  // The temp tsconfig is for a person reproducing a failure with `npx tsc -p .scratch/docs-samples`.
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2022', 'DOM'],
          strict: true,
          noUncheckedIndexedAccess: true,
          esModuleInterop: true,
          skipLibCheck: true,
          isolatedModules: true,
          noEmit: true,
          types: ['node'],
          paths,
        },
        include: ['*.ts'],
      },
      null,
      2,
    ),
  );

  const program = ts.createProgram([prelude, ...byPath.keys()], compilerOptions);
  const problems: SampleProblem[] = [];
  for (const [path, sample] of byPath) {
    const source = program.getSourceFile(path);
    if (!source) continue;
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    for (const diagnostic of diagnostics) {
      const { line } = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      // +1 for the fence line, 1-based, minus the added header.
      const mdLine = sample.line + 1 + line - HEADER_LINES;
      problems.push({
        where: `${sample.file}:${mdLine}`,
        message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
      });
    }
  }
  if (problems.length === 0 || !options.keepOnProblems) rmSync(dir, { recursive: true, force: true });
  return problems;
}

// Run as a script: print the problems and fail the process when there are any.
if (import.meta.url === `file://${resolve(process.argv[1] ?? '')}`) {
  const root = resolve('.');
  const samples = collectSamples(root);
  const problems = checkSamples(root, samples, { keepOnProblems: true });
  for (const problem of problems) console.error(`${problem.where}  ${problem.message}`);
  const checked = samples.filter((sample) => sample.check).length;
  console.log(
    `${checked} samples checked, ${samples.length - checked} marked no-check, ${problems.length} problems` +
      (problems.length ? ` (reproduce: npx tsc -p ${relative(root, resolve(root, '.scratch/docs-samples'))})` : ''),
  );
  if (problems.length) process.exitCode = 1;
}

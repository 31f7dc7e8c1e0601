import { readFileSync, writeFileSync } from 'node:fs';
import { diagrams, replaceDiagram } from './diagrams.js';

for (const spec of diagrams) {
  const before = readFileSync(spec.file, 'utf8');
  const after = replaceDiagram(before, spec);
  if (after !== before) {
    writeFileSync(spec.file, after);
    console.log(`updated ${spec.file} (${spec.name})`);
  }
}

import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    tickets: 'src/tickets/index.ts',
    accounts: 'src/accounts/index.ts',
    login: 'src/login/index.ts',
    recovery: 'src/recovery/index.ts',
    http: 'src/http/index.ts',
    memory: 'src/memory.ts',
    postgres: 'src/postgres.ts',
    testing: 'src/testing-entry.ts',
    argon2: 'src/argon2/index.ts',
    nodemailer: 'src/nodemailer/index.ts',
    'sms-http': 'src/sms-http/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  splitting: true,
  treeshake: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['xstate', 'zod', 'date-fns', '@date-fns/tz', 'hash-wasm'],
});

// helpdesk-core/argon2: the optional argon2id password hasher. A separate entry so hosts that
// keep PBKDF2 never load hash-wasm (an optional peer dependency).
export {
  createArgon2idHasher,
  defaultArgon2idParameters,
  type Argon2idFunction,
  type Argon2idHasherOptions,
  type Argon2idInput,
} from './argon2id-hasher.js';
export type { Argon2idParameters } from './phc-string.js';

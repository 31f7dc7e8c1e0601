// Kept while the modules move their imports to `src/errors.ts`: the common codes are not the engine's.
export { commonErrors as engineErrors } from '../errors.js';

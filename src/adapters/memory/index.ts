export { createMemoryStorage, MemoryStorage } from './memory-storage.js';

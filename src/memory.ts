// helpdesk-core/memory — the embedded default storage.
export { createMemoryStorage, MemoryStorage } from './adapters/memory/memory-storage.js';

import { describe, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { storageConformanceCases } from '../../src/testing/index.js';

describe('storage conformance: memory', () => {
  for (const c of storageConformanceCases({ create: () => createMemoryStorage() })) it(c.name, c.run);
});

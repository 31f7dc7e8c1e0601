import { describe, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { deleteConformanceCases } from '../../src/testing/delete-conformance.js';

describe('delete conformance: memory', () => {
  for (const c of deleteConformanceCases({ create: () => createMemoryStorage() })) it(c.name, c.run);
});

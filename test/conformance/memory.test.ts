import { describe, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { storageConformanceCases } from '../../src/testing/index.js';
import { privacyConformanceCases } from '../../src/testing/privacy-conformance.js';

describe('storage conformance: memory', () => {
  for (const c of storageConformanceCases({ create: () => createMemoryStorage() }, { refusesStoredEventIds: false }))
    it(c.name, c.run);
});

describe('privacy conformance: memory', () => {
  for (const c of privacyConformanceCases({ create: () => createMemoryStorage() })) it(c.name, c.run);
});

// helpdesk-core/testing — manual clock, capturing senders, the storage conformance suite.
export * from './testing/index.js';

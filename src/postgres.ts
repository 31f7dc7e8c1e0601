// helpdesk-core/postgres — the PostgreSQL storage adapter (pg.Pool, pg.Client, PGlite).
export * from './adapters/postgres/index.js';

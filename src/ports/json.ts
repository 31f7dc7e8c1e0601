/** A plain JSON value: what every stored snapshot, history entry and outbox payload is. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

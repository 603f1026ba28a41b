/** The local SQLite store. */
export { Store, type StoreOpenOptions } from "./store.ts";
export type * from "./types.ts";
export type { ContactSearch } from "./entities.ts";
export type { PartsPage } from "./reads.ts";
export { type Migration, MIGRATIONS, SCHEMA_VERSION } from "./migrations.ts";
export { buildFtsQuery } from "./fts_query.ts";
export { CUSTOMER_AUTHOR_TYPES, TEAMMATE_AUTHOR_TYPES } from "./conversations.ts";

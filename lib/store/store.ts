/** The local SQLite store: what the sync writes and `status`, health checks and MCP read. */
import type { Admin, Contact, Conversation, Tag, Team } from "../intercom/types.ts";
import type { StoredCopyTimes } from "../sync/freshness.ts";
import { storedCopyTimes } from "./_stored_copies.ts";
import { type Clock, systemClock, unixSeconds } from "../util/clock.ts";
import { type Connection, migrate, openConnection, readSchemaVersion } from "./database.ts";
import { upsertConversation, type UpsertConversationOptions } from "./conversations.ts";
import {
  adminName,
  contactFetchTimes,
  contactsCreatedAfter,
  type ContactSearch,
  getContact,
  missingContactIds,
  replaceAdmins,
  replaceTags,
  replaceTeams,
  searchContacts,
  upsertContacts,
  type UpsertContactsOptions,
} from "./entities.ts";
import {
  clearQuarantine,
  conversationsNaming,
  gapCounts,
  type MissingContact,
  missingContacts,
  quarantine,
  quarantined,
  type QuarantineEntry,
  type QuarantineKind,
  recordMissingContacts,
  settleMissingContacts,
} from "./sync_gaps.ts";
import { SCHEMA_VERSION } from "./migrations.ts";
import { checkIntegrity, type IntegrityFinding, type IntegrityOptions } from "./integrity.ts";
import { clearSupportFullText, SUPPORT_TABLES, SupportStore } from "./support_store.ts";
import {
  type ConversationPage,
  ftsIntegrityCheck,
  getConversation,
  getConversationPage,
  getParts,
  integrityCheck,
  orphanParts,
  type PartsPage,
  quickCheck,
  readCoverage,
  readStats,
  rebuildFullText,
} from "./reads.ts";
import {
  type ApiRequestTotal,
  apiRequestTotals,
  type RowCounts,
  rowCounts,
  type RunBuckets,
  runBuckets,
  type RunMeasure,
  type RunTotals,
  runTotals,
} from "./store_metrics.ts";
import { searchConversations } from "./search.ts";
import {
  completeCursor,
  finishRun,
  lastCompletedRun,
  lastRuns,
  markAbandonedRuns,
  markSearchUnsorted,
  readSyncState,
  setCheckpoint,
  startRun,
  updateRun,
} from "./sync_state.ts";
import type { ApiRequestCounts, NewRun, RunCounts, RunEnd, SyncRun } from "../sync/run_record.ts";
import type {
  ConversationSearch,
  ConversationSearchResult,
  StoreCoverage,
  StoredContact,
  StoredConversation,
  StoredPart,
  StoreStats,
  SyncState,
} from "./types.ts";

/** Options of {@linkcode Store.open}. */
export interface StoreOpenOptions {
  /** Read without writing: no file is created and no migration runs. Default false. */
  readOnly?: boolean;
  /** How long to wait for another connection's lock, in ms. Default 5000. */
  busyTimeoutMs?: number;
  /** Time source for bookkeeping timestamps. Default: the system clock. */
  clock?: Clock;
  /** SQLite page cache in KiB. Default 32768; the sync writer uses less. */
  cacheKiB?: number;
}

/**
 * One connection to the store. Several may be open on the same file (in this or other
 * processes): readers see the last committed state and never wait for a writer.
 *
 * @example
 * ```ts
 * using store = Store.open("/home/me/.fastintercom/data.db");
 * const { hits } = store.searchConversations({ text: "refund", state: "open" });
 * ```
 */
export class Store implements Disposable {
  /** The schema version this program writes. */
  static readonly SCHEMA_VERSION: number = SCHEMA_VERSION;

  readonly path: string;
  #conn: Connection;
  #clock: Clock;
  #support: SupportStore | undefined;

  private constructor(conn: Connection, clock: Clock) {
    this.#conn = conn;
    this.#clock = clock;
    this.path = conn.path;
  }

  /** Opens the store at `path`, creating its directory (0700) and file and migrating it. */
  static open(path: string, options: StoreOpenOptions = {}): Store {
    const { clock = systemClock, readOnly = false, busyTimeoutMs = 5000 } = options;
    const conn = openConnection(path, {
      readOnly,
      busyTimeoutMs,
      ...(options.cacheKiB !== undefined ? { cacheKiB: options.cacheKiB } : {}),
    });
    try {
      migrate(conn, { clock });
    } catch (error) {
      conn.close();
      throw error;
    }
    return new Store(conn, clock);
  }

  /** Closes the connection; safe to call twice. */
  close(): void {
    this.#conn.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** Runs `fn` in a transaction (commit on return, rollback on throw); nested calls join. */
  transaction<T>(fn: () => T): T {
    return this.#conn.transaction(fn);
  }

  /** The schema version of the open file. */
  schemaVersion(): number {
    return readSchemaVersion(this.#conn);
  }

  /**
   * SQLite's `PRAGMA data_version`: changes whenever another connection has committed since
   * this one last asked, so a reader can keep derived figures until it changes.
   */
  dataVersion(): number {
    return Number(this.#conn.get("PRAGMA data_version")?.data_version ?? 0);
  }

  /** Stores a fetched conversation with its parts, links and search text. */
  upsertConversation(
    conv: Conversation,
    syncedAt: number,
    options?: UpsertConversationOptions,
  ): { partsUpserted: number } {
    return upsertConversation(this.#conn, conv, syncedAt, options);
  }

  /** Inserts or replaces contacts by id; returns how many were written. */
  upsertContacts(contacts: readonly Contact[], options?: UpsertContactsOptions): number {
    return upsertContacts(this.#conn, contacts, options);
  }

  /** The second each stored contact among `ids` was requested (null: unknown). */
  contactFetchTimes(ids: readonly string[]): Map<string, number | null> {
    return contactFetchTimes(this.#conn, ids);
  }

  /** Ids of the stored contacts created after `seconds` (Unix). */
  contactsCreatedAfter(seconds: number): string[] {
    return contactsCreatedAfter(this.#conn, seconds);
  }

  /** Sets a record aside as unreadable (or counts another failed read of it). */
  quarantine(
    entry: { kind: QuarantineKind; id: string; reason: string; endpoint?: string | null },
  ) {
    quarantine(this.#conn, entry, unixSeconds(this.#clock));
  }

  /** Takes records that now read out of the quarantine; returns how many left it. */
  clearQuarantine(kind: QuarantineKind, ids: readonly string[]): number {
    return clearQuarantine(this.#conn, kind, ids);
  }

  /** Every quarantined record (of `kind`, when given), oldest first. */
  quarantined(kind?: QuarantineKind): QuarantineEntry[] {
    return quarantined(this.#conn, kind);
  }

  /** Records contacts that could not be fetched. */
  recordMissingContacts(missing: readonly { id: string; reason: string }[]): void {
    recordMissingContacts(this.#conn, missing, unixSeconds(this.#clock));
  }

  /** Drops missing-contact entries now stored (`ids`) or no longer named by a conversation. */
  settleMissingContacts(ids: readonly string[]): number {
    return settleMissingContacts(this.#conn, ids);
  }

  /** Every contact a stored conversation names that could not be fetched yet. */
  missingContacts(): MissingContact[] {
    return missingContacts(this.#conn);
  }

  /** Counts of quarantined records and missing contacts. */
  gapCounts(): { quarantined: number; missingContacts: number } {
    return gapCounts(this.#conn);
  }

  /** Ids of the stored conversations that name any of `contactIds`. */
  conversationsNaming(contactIds: readonly string[]): string[] {
    return conversationsNaming(this.#conn, contactIds);
  }

  /** Replaces all admins, keeping the stored rows of the ids in `keep` (unreadable ones). */
  replaceAdmins(admins: Admin[], keep: readonly string[] = []): void {
    replaceAdmins(this.#conn, admins, keep);
  }

  /** Replaces all teams, keeping the stored rows of the ids in `keep` (unreadable ones). */
  replaceTeams(teams: Team[], keep: readonly string[] = []): void {
    replaceTeams(this.#conn, teams, keep);
  }

  /** Replaces all tags, keeping the stored rows of the ids in `keep` (unreadable ones). */
  replaceTags(tags: Tag[], keep: readonly string[] = []): void {
    replaceTags(this.#conn, tags, keep);
  }

  /** `updated_at` and fetch second by conversation id, for the given ids that are stored. */
  storedCopies(ids: readonly string[]): Map<string, StoredCopyTimes> {
    return storedCopyTimes(this.#conn, "conversations", ids);
  }

  /** The contact ids among `ids` not stored yet (deduplicated). */
  missingContactIds(ids: string[]): string[] {
    return missingContactIds(this.#conn, ids);
  }

  /** Records a new running sync run; returns its id. */
  startRun(run: NewRun): number {
    return startRun(this.#conn, run);
  }

  /** Sets counters of a run (and its API requests by endpoint, when given) to these totals. */
  updateRun(id: number, counts: Partial<RunCounts>, apiRequests?: ApiRequestCounts): void {
    updateRun(this.#conn, id, counts, apiRequests);
  }

  /** Closes a run with its outcome. */
  finishRun(id: number, end: RunEnd): void {
    finishRun(this.#conn, id, end);
  }

  /** Marks every `running` run crashed (call under the sync lock); returns them. */
  markAbandonedRuns(now: number): SyncRun[] {
    return markAbandonedRuns(this.#conn, now);
  }

  /** The newest runs, newest first (default 10). */
  lastRuns(limit?: number): SyncRun[] {
    return lastRuns(this.#conn, limit);
  }

  /** The newest completed run, or null. */
  lastCompletedRun(): SyncRun | null {
    return lastCompletedRun(this.#conn);
  }

  /** Row counts and size only: cheaper than {@link stats} (metrics). */
  rowCounts(): RowCounts {
    return rowCounts(this.#conn);
  }

  /** API requests by endpoint and status summed over every run (metrics). */
  apiRequestTotals(): ApiRequestTotal[] {
    return apiRequestTotals(this.#conn);
  }

  /** Every run's counters summed by status (metrics). */
  runTotals(): RunTotals {
    return runTotals(this.#conn);
  }

  /** Cumulative bucket counts of a per-run measure over finished runs (metrics). */
  runBuckets(
    measure: RunMeasure,
    options: Parameters<typeof runBuckets>[2],
  ): RunBuckets {
    return runBuckets(this.#conn, measure, options);
  }

  /** The completed cursor and the resume checkpoint. */
  syncState(): SyncState {
    return readSyncState(this.#conn);
  }

  /** Saves (or clears with null) the resume checkpoint, as JSON. */
  setCheckpoint(checkpoint: unknown | null): void {
    setCheckpoint(this.#conn, checkpoint, unixSeconds(this.#clock));
  }

  /** Notes an out-of-order search and moves a later checkpoint back to `resumeFrom`. */
  markSearchUnsorted(resumeFrom: number): void {
    markSearchUnsorted(this.#conn, resumeFrom, unixSeconds(this.#clock));
  }

  /** Sets the completed cursor and clears the checkpoint atomically. */
  completeCursor(cursor: number): void {
    completeCursor(this.#conn, cursor, unixSeconds(this.#clock));
  }

  /** Deletes every synced row, run and the sync position; keeps the schema. */
  clearSyncData(): void {
    this.#conn.transaction(() => {
      this.#conn.run("INSERT INTO conversations_fts (conversations_fts) VALUES ('delete-all')");
      clearSupportFullText(this.#conn);
      for (
        const table of [
          "conversation_unspaced",
          "conversation_parts",
          "conversation_contacts",
          "conversation_tags",
          "conversations",
          "contacts",
          "admins",
          "teams",
          "tags",
          "sync_runs",
          "quarantine",
          "missing_contacts",
          ...SUPPORT_TABLES,
        ]
      ) this.#conn.run(`DELETE FROM ${table}`);
      this.#conn.run(
        "UPDATE sync_state SET cursor = NULL, checkpoint = NULL, search_unsorted_at = NULL, " +
          "updated_at = ? WHERE id = 1",
        unixSeconds(this.#clock),
      );
    });
  }

  /** Tickets, companies, ticket types, extras and per-stream positions (see `support_store.ts`). */
  get support(): SupportStore {
    this.#support ??= new SupportStore(this.#conn, this.#clock);
    return this.#support;
  }

  /** Full-text and filtered conversation search. */
  searchConversations(search: ConversationSearch): ConversationSearchResult {
    return searchConversations(this.#conn, search);
  }

  /** A conversation with all its stored messages, source first; null when not stored. */
  getConversation(id: string): StoredConversation | null {
    return getConversation(this.#conn, id);
  }

  /** A conversation with `page.limit` of its messages from `page.offset`; null when not stored. */
  getConversationPage(
    id: string,
    page: { offset: number; limit: number },
  ): ConversationPage | null {
    return getConversationPage(this.#conn, id, page);
  }

  /** A page of a conversation's messages, source first. */
  getParts(id: string, options?: PartsPage): StoredPart[] {
    return getParts(this.#conn, id, options);
  }

  /** The contact with `id`, or null. */
  getContact(id: string): StoredContact | null {
    return getContact(this.#conn, id);
  }

  /** Contacts by text (name, email, external id) and/or exact email. */
  searchContacts(search: ContactSearch): { total: number; contacts: StoredContact[] } {
    return searchContacts(this.#conn, search);
  }

  /** Row counts, covered period and size on disk. */
  stats(): StoreStats {
    return readStats(this.#conn);
  }

  /** The period covered and how far the sync got. */
  coverage(): StoreCoverage {
    return readCoverage(this.#conn);
  }

  /** Header, schema and a sample of pages (see `integrity.ts`): the fast damage check. */
  checkIntegrity(options: IntegrityOptions = {}): IntegrityFinding {
    return checkIntegrity(this.#conn, options);
  }

  /** SQLite quick_check; empty when sound. */
  quickCheck(): string[] {
    return quickCheck(this.#conn);
  }

  /** SQLite integrity_check; empty when sound. */
  integrityCheck(): string[] {
    return integrityCheck(this.#conn);
  }

  /** Full-text index against stored text; empty when they agree. */
  ftsIntegrityCheck(): string[] {
    return ftsIntegrityCheck(this.#conn);
  }

  /** Rebuilds the full-text index from the stored rows. */
  rebuildFullText(): void {
    rebuildFullText(this.#conn);
  }

  /** Parts without a conversation; 0 when consistent. */
  orphanParts(): number {
    return orphanParts(this.#conn);
  }

  /** The stored admin's name, or null. */
  adminName(id: string): string | null {
    return adminName(this.#conn, id);
  }
}

/**
 * Is the store damaged? The one answer `debug health`, `status` and `monitor status` give: the
 * header and schema (SQLite parses both when a connection opens), then a bounded sample of pages
 * checked against the file format (`page_check.ts`), a suspect page confirmed or dismissed by
 * SQLite's quick_check. Reading every page is `debug diagnose --test-database`.
 *
 * Each sample starts at a random offset within its stride, so repeated checks (a CI gate, a
 * container probe, a monitor refreshing) read different pages of a large store: a wound between
 * the pages one check reads is found by a later one instead of never.
 */
import { sqliteCondition } from "../explain_error.ts";
import { groupDigits } from "../util/format.ts";
import type { Connection } from "./database.ts";
import { samplePages } from "./page_check.ts";
import { quickCheck } from "./reads.ts";

/** Pages read at most by default: 32 MB at 4 KB pages, ~40 ms warm. */
export const DEFAULT_SAMPLE_PAGES = 8192;

/** Options for {@link checkIntegrity}. */
export interface IntegrityOptions {
  /** Pages read at most. Default {@link DEFAULT_SAMPLE_PAGES}. */
  maxPages?: number;
  /** Where in its stride the sample starts, in [0, 1). Default: random. */
  offset?: number;
}

/** What {@link checkIntegrity} found. */
export interface IntegrityFinding {
  sound: boolean;
  /** Sound: what was read (`header, schema and all 1,234 pages sound`); damaged: the problems. */
  detail: string;
  /** Pages read, and pages in the file. */
  checked: number;
  pageCount: number;
}

/**
 * Header, schema and a sample of pages of the store behind `conn`; throws only what is not
 * damage (a busy or unreadable file), so callers report those as they do elsewhere.
 */
export function checkIntegrity(conn: Connection, options: IntegrityOptions = {}): IntegrityFinding {
  try {
    conn.all("SELECT type, name, sql FROM sqlite_schema");
  } catch (error) {
    if (sqliteCondition(error) !== "damaged") throw error;
    return { sound: false, detail: "its schema cannot be read", checked: 0, pageCount: 0 };
  }
  const sample = samplePages(conn.path, {
    maxPages: options.maxPages ?? DEFAULT_SAMPLE_PAGES,
    offset: options.offset ?? Math.random(),
  });
  const { checked, pageCount } = sample;
  const scope = checked >= pageCount - 2
    ? `header, schema and all ${groupDigits(pageCount)} pages sound`
    : `header and schema sound, ${groupDigits(checked)} of ${groupDigits(pageCount)} pages ` +
      "sampled sound (`fast-intercom-mcp debug diagnose --test-database` reads every page)";
  if (sample.problems.length === 0) return { sound: true, detail: scope, checked, pageCount };
  let confirmed: string[];
  try {
    confirmed = quickCheck(conn);
  } catch (error) {
    if (sqliteCondition(error) !== "damaged") throw error;
    confirmed = sample.problems;
  }
  if (confirmed.length === 0) {
    // a page caught mid-write by a checkpoint, or only in the WAL: SQLite found it sound
    return {
      sound: true,
      detail: `${scope}; SQLite's quick_check cleared a suspect page`,
      checked,
      pageCount,
    };
  }
  const more = confirmed.length > 2 ? `, and ${confirmed.length - 2} more` : "";
  return { sound: false, detail: confirmed.slice(0, 2).join("; ") + more, checked, pageCount };
}

/**
 * Reads the JSON bodies of API calls with their schemas: a record that breaks the contract is
 * a {@link MalformedRecordError} naming it (kind, id, endpoint), a broken envelope an
 * {@link ApiError} naming the field; items of a list can be read one by one, keeping the
 * readable ones. Every failure counts in the client's `stats.errors`; no text reaches an error
 * without the token redacted.
 */
import type { z } from "zod";
import { ApiError, MalformedRecordError, redact } from "./errors.ts";
import { malformedRecord, type Records } from "./malformed.ts";
import type { UnreadableItem } from "./paging.ts";

/** What a {@link BodyReader} needs of its client. */
export interface BodyReaderOptions {
  /** The `Intercom-Version` the client sends, named when a body does not match. */
  version: string;
  /** The access token, redacted from every message. */
  token: string;
  /** The client's counters: each failure adds to `errors`. */
  stats: { errors: number };
}

/** Parses the bodies of one client's calls. */
export class BodyReader {
  readonly #version: string;
  readonly #token: string;
  readonly #stats: { errors: number };

  constructor(options: BodyReaderOptions) {
    this.#version = options.version;
    this.#token = options.token;
    this.#stats = options.stats;
  }

  /** Each item of a list read on its own: the readable ones, and what is wrong with the rest. */
  readItems<S extends z.ZodTypeAny>(
    records: Records,
    schema: S,
    raw: unknown[],
  ): { items: z.output<S>[]; unreadable: UnreadableItem[] } {
    const items: z.output<S>[] = [];
    const unreadable: UnreadableItem[] = [];
    raw.forEach((item, index) => {
      const parsed = schema.safeParse(item);
      if (parsed.success) {
        items.push(parsed.data);
        return;
      }
      const issue = parsed.error.issues[0];
      const where = records.list === undefined ? undefined : { [records.list]: raw };
      const found = malformedRecord(
        records,
        where,
        issue && {
          ...issue,
          path: [records.list ?? "", index, ...issue.path],
        },
      );
      this.#stats.errors++;
      unreadable.push({
        id: found?.id ?? null,
        reason: this.#redact(found?.reason ?? "invalid"),
      });
    });
    return { items, unreadable };
  }

  /** `json` read with `schema`; a typed error naming the endpoint (and record) if it cannot. */
  parse<S extends z.ZodTypeAny>(
    endpoint: string,
    schema: S,
    json: unknown,
    records?: Records,
  ): z.output<S> {
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const malformed = records && malformedRecord(records, json, issue);
    if (malformed) {
      this.#stats.errors++;
      throw new MalformedRecordError(
        this.#redact(
          `Intercom API ${endpoint} returned ${records.kind} ${malformed.id ?? "(without id)"} ` +
            `in a shape that cannot be read: ${malformed.reason}; report this with the endpoint ` +
            "and id if it persists",
        ),
        { ...malformed, reason: this.#redact(malformed.reason) },
        { cause: parsed.error },
      );
    }
    const field = issue?.path.join(".") || "(body)";
    const error = new ApiError(
      this.#redact(
        `Intercom API ${endpoint} returned a body that does not match the expected shape: ` +
          `field "${field}": ${issue?.message ?? "invalid"} — Intercom may have changed the ` +
          `response for Intercom-Version ${this.#version}; report this with the endpoint`,
      ),
      { status: 200, cause: parsed.error },
    );
    this.#stats.errors++;
    throw error;
  }

  #redact(text: string): string {
    return redact(text, this.#token);
  }
}

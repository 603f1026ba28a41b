/**
 * The typed Intercom REST client used by sync, `init`, health checks and MCP.
 *
 * Every call goes through one loop: wait for the shared {@link RateLimiter}, send with a
 * per-attempt timeout, classify the outcome, then return, wait for the rate-limit window
 * (429), back off and retry (5xx, empty/HTML/truncated bodies, connection errors, timeouts),
 * or throw a typed error at once (401, other 4xx, a body that breaks the contract).
 *
 * @example
 * const client = new IntercomClient({ baseUrl: REGION_HOSTS.us, token });
 * for await (const page of client.searchConversations(updatedBetween(since, now))) { … }
 */
import { getLogger, type Logger } from "@logtape/logtape";
import { z } from "zod";
import denoConfig from "../../deno.json" with { type: "json" };
import { ConfigError } from "../errors.ts";
import { type Clock, realSleep, type Sleep, systemClock } from "../util/clock.ts";
import { ApiError, IntercomError, MalformedRecordError, RateLimitError, redact } from "./errors.ts";
import { malformedRecord, type Records } from "./malformed.ts";
import { endpointTemplate } from "./endpoint_template.ts";
import {
  type RateLimitedResponse,
  RateLimiter,
  type RateLimitPermit,
  type RateLimitState,
  type RateLimitWait,
} from "./rate_limiter.ts";
import {
  type AttemptOutcome,
  backoffDelay,
  type BackoffOptions,
  classifyResponse,
  giveUpError,
} from "./retry.ts";
import {
  searchBody,
  type SearchOptions,
  type SearchPage,
  toPage,
  type UnreadableItem,
} from "./paging.ts";
import {
  type Admin,
  AdminListSchema,
  type Contact,
  ContactListSchema,
  ContactSchema,
  type Conversation,
  ConversationListSchema,
  ConversationSchema,
  type ConversationSummary,
  ConversationSummarySchema,
  type Me,
  MeSchema,
  type SearchQuery,
  type Tag,
  TagListSchema,
  type Team,
  TeamListSchema,
} from "./types.ts";

/** The log category of API calls that are not a sync's. */
export const API_LOG_CATEGORY: readonly string[] = ["fast-intercom", "api"];

/** The `Intercom-Version` the client pins unless told otherwise. */
export const DEFAULT_INTERCOM_VERSION = "2.11";

/** The `User-Agent` the client sends unless told otherwise. */
export const DEFAULT_USER_AGENT = `fast-intercom-mcp/${denoConfig.version}`;

/** How an {@link IntercomClient} connects, retries and paces. */
export interface ClientOptions {
  /** API base URL, e.g. `REGION_HOSTS.us` or a simulator's `url`. */
  baseUrl: string;
  /** Access token, sent as `Authorization: Bearer`; never logged or put in errors. */
  token: string;
  /** `Intercom-Version` header. Default "2.11". */
  version?: string;
  /** Timeout of one attempt (request and body), in ms. Default 30_000. */
  timeoutMs?: number;
  /** Attempts for retryable failures (5xx, bad bodies, network, timeouts). Default 6. */
  maxAttempts?: number;
  /** Consecutive 429s waited out before giving up with {@link RateLimitError}. Default 20. */
  maxRateLimitWaits?: number;
  /** Backoff between retries. Default base 250 ms, factor 2, cap 30 s, full jitter. */
  backoff?: Omit<BackoffOptions, "random">;
  /** The fetch to use. Default the global `fetch`. */
  fetch?: typeof fetch;
  /** Milliseconds clock, for durations and stats. Default `systemClock`. */
  clock?: Clock;
  /** Abortable sleep for backoff. Default `realSleep`. */
  sleep?: Sleep;
  /** Uniform random source in [0, 1) for backoff jitter. Default `Math.random`. */
  random?: () => number;
  /** Pacing state, shared by clients that share a workspace. Default a new one on clock/sleep. */
  limiter?: RateLimiter;
  /** `User-Agent` header. Default "fast-intercom-mcp/<version>". */
  userAgent?: string;
  /**
   * The log category of this client's lines (retries, 429 waits). Default
   * `["fast-intercom", "api"]`; a sync's client uses `["fast-intercom", "sync", "api"]`, so its
   * API trouble shows under `--component sync`.
   */
  logCategory?: readonly string[];
}

/** Counters of one client's traffic, updated live. */
export interface ClientStats {
  /** HTTP attempts sent (first tries, retries and 429s). */
  requests: number;
  /** Attempts repeated after a retryable failure (429 waits excluded). */
  retries: number;
  /** 429 responses received. */
  rateLimited: number;
  /** Wall-clock ms during which at least one request waited for the rate limit. */
  rateLimitWaitMs: number;
  /** Calls that ended in an {@link IntercomError} (aborts excluded). */
  errors: number;
  /**
   * Attempts by endpoint template (`GET /conversations/{id}`) and outcome: the HTTP status,
   * or `timeout`, `network` or `aborted` when no response arrived. Sums to `requests`.
   */
  byEndpoint: Record<string, Record<string, number>>;
}

export type { SearchOptions, SearchPage, UnreadableItem } from "./paging.ts";

interface Call {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  signal?: AbortSignal | undefined;
  notFoundAsNull?: boolean;
}

/** A call an endpoint module makes through {@link IntercomClient.request}. */
export interface EndpointCall<S extends z.ZodTypeAny> extends Call {
  /** What a 2xx body must be. */
  schema: S;
  /** Which records the body holds, so that a bad one is a `MalformedRecordError`. */
  records?: Records;
}

/** A typed, paced, retrying client of Intercom's REST API. */
export class IntercomClient {
  /** Live traffic counters. */
  readonly stats: ClientStats = {
    requests: 0,
    retries: 0,
    rateLimited: 0,
    rateLimitWaitMs: 0,
    errors: 0,
    byEndpoint: {},
  };
  readonly #baseUrl: string;
  readonly #host: string;
  readonly #token: string;
  readonly #headers: Record<string, string>;
  readonly #version: string;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #maxRateLimitWaits: number;
  readonly #backoff: BackoffOptions;
  readonly #fetch: typeof fetch;
  readonly #clock: Clock;
  readonly #sleep: Sleep;
  readonly #limiter: RateLimiter;
  readonly #log: Logger;
  #waiting = 0;
  #waitStartedAt = 0;

  constructor(options: ClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch (error) {
      throw new ConfigError(
        `Invalid Intercom API URL "${options.baseUrl}": use a region host such as ` +
          "https://api.intercom.io",
        { cause: error },
      );
    }
    this.#baseUrl = url.href.replace(/\/+$/, "");
    this.#host = url.host;
    this.#token = options.token;
    this.#version = options.version ?? DEFAULT_INTERCOM_VERSION;
    this.#headers = {
      "Authorization": `Bearer ${options.token}`,
      "Accept": "application/json",
      "Intercom-Version": this.#version,
      "User-Agent": options.userAgent ?? DEFAULT_USER_AGENT,
    };
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 6);
    this.#maxRateLimitWaits = Math.max(0, options.maxRateLimitWaits ?? 20);
    const random = options.random ?? Math.random;
    this.#backoff = { ...options.backoff, random };
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#clock = options.clock ?? systemClock;
    this.#sleep = options.sleep ?? realSleep;
    const logCategory = options.logCategory ?? API_LOG_CATEGORY;
    this.#log = getLogger([...logCategory]);
    this.#limiter = options.limiter ??
      new RateLimiter({ clock: this.#clock, sleep: this.#sleep, random, logCategory });
  }

  /** Requests per second the rate limit allows (from Intercom's headers); null until known. */
  get requestsPerSecond(): number | null {
    return this.#limiter.requestsPerSecond;
  }

  /** The rate-limit wait holding this client's requests now, or null (see `RateLimiter.wait`). */
  get rateLimitWait(): RateLimitWait | null {
    return this.#limiter.wait;
  }

  /** When this client's requests last waited for the rate limit (ms), or null. */
  get lastRateLimitWaitMs(): number | null {
    return this.#limiter.lastWaitMs;
  }

  /** The shared rate limiter's current window, for status displays and metrics. */
  get rateLimit(): RateLimitState {
    return this.#limiter.state;
  }

  /** `GET /me`: the admin owning the token and its workspace (`app.id_code`). */
  me(signal?: AbortSignal): Promise<Me> {
    return this.#get("/me", MeSchema, { signal });
  }

  /** `POST /conversations/search`: one page of conversation summaries (no parts). */
  async searchConversationsPage(
    query: SearchQuery,
    options: SearchOptions = {},
  ): Promise<SearchPage<ConversationSummary>> {
    const records = {
      kind: "conversation",
      endpoint: "POST /conversations/search",
      list: "conversations",
    } as const;
    const body = searchBody(query, options);
    if (options.skipUnreadable) {
      const envelope = ConversationListSchema.extend({ conversations: z.array(z.unknown()) });
      const list = await this.#post("/conversations/search", envelope, {
        body,
        signal: options.signal,
      });
      const read = this.#readItems(records, ConversationSummarySchema, list.conversations);
      return { ...toPage(read.items, list.total_count, list.pages), unreadable: read.unreadable };
    }
    const list = await this.#post("/conversations/search", ConversationListSchema, {
      body,
      signal: options.signal,
      records,
    });
    return toPage(list.conversations, list.total_count, list.pages);
  }

  /** Every page of a conversation search, following cursors until there is no next page. */
  searchConversations(
    query: SearchQuery,
    options: SearchOptions = {},
  ): AsyncGenerator<SearchPage<ConversationSummary>> {
    return this.#follow((o) => this.searchConversationsPage(query, o), options);
  }

  /**
   * `GET /conversations/{id}?display_as=plaintext`: a conversation with its newest ≤500 parts.
   * A body that cannot be read throws {@link MalformedRecordError} naming `id`.
   */
  getConversation(id: string, signal?: AbortSignal): Promise<Conversation> {
    return this.#get(
      `/conversations/${encodeURIComponent(id)}?display_as=plaintext`,
      ConversationSchema,
      { signal, records: { kind: "conversation", endpoint: "GET /conversations/{id}", id } },
    );
  }

  /** `GET /admins`: every teammate of the workspace. */
  async listAdmins(signal?: AbortSignal): Promise<Admin[]> {
    const records = { kind: "admin", endpoint: "GET /admins", list: "admins" } as const;
    return (await this.#get("/admins", AdminListSchema, { signal, records })).admins;
  }

  /** `GET /teams`: every team of the workspace. */
  async listTeams(signal?: AbortSignal): Promise<Team[]> {
    const records = { kind: "team", endpoint: "GET /teams", list: "teams" } as const;
    return (await this.#get("/teams", TeamListSchema, { signal, records })).teams;
  }

  /** `GET /tags`: every tag of the workspace. */
  async listTags(signal?: AbortSignal): Promise<Tag[]> {
    const records = { kind: "tag", endpoint: "GET /tags", list: "data" } as const;
    return (await this.#get("/tags", TagListSchema, { signal, records })).data;
  }

  /** `POST /contacts/search`: one page of contacts. */
  async searchContactsPage(
    query: SearchQuery,
    options: SearchOptions = {},
  ): Promise<SearchPage<Contact>> {
    const records = { kind: "contact", endpoint: "POST /contacts/search", list: "data" } as const;
    const body = searchBody(query, options);
    if (options.skipUnreadable) {
      const envelope = ContactListSchema.extend({ data: z.array(z.unknown()) });
      const list = await this.#post("/contacts/search", envelope, { body, signal: options.signal });
      const read = this.#readItems(records, ContactSchema, list.data);
      const total = list.total_count ?? list.data.length;
      return { ...toPage(read.items, total, list.pages), unreadable: read.unreadable };
    }
    const list = await this.#post("/contacts/search", ContactListSchema, {
      body,
      signal: options.signal,
      records,
    });
    return toPage(list.data, list.total_count ?? list.data.length, list.pages);
  }

  /** Every page of a contact search, following cursors until there is no next page. */
  searchContacts(
    query: SearchQuery,
    options: SearchOptions = {},
  ): AsyncGenerator<SearchPage<Contact>> {
    return this.#follow((o) => this.searchContactsPage(query, o), options);
  }

  /**
   * `GET /contacts/{id}`: the contact, or `null` when Intercom answers 404 — for an id that
   * never existed, was deleted, or was merged into another contact (the description: a merged
   * contact "requested by its original ID will return a 404"). Unlike `POST /contacts/search`,
   * it finds contacts created moments ago.
   */
  async getContact(id: string, signal?: AbortSignal): Promise<Contact | null> {
    const path = `/contacts/${encodeURIComponent(id)}`;
    const json = await this.#call({ method: "GET", path, signal, notFoundAsNull: true });
    if (json === null) return null;
    return this.#parse(`GET ${path}`, ContactSchema, json, {
      kind: "contact",
      endpoint: "GET /contacts/{id}",
      id,
    });
  }

  /**
   * One call of an endpoint module (`tickets_api.ts`, `companies_api.ts`) through this client's
   * pacing, retries and parsing: the body read with `schema` (a record that cannot be read
   * throws {@link MalformedRecordError} as `records` says), or null for a 404 when
   * `notFoundAsNull`.
   */
  async request<S extends z.ZodTypeAny>(call: EndpointCall<S>): Promise<z.output<S> | null> {
    const { schema, records, ...rest } = call;
    const json = await this.#call(rest);
    if (json === null) return null;
    return this.#parse(`${call.method} ${call.path.split("?")[0]}`, schema, json, records);
  }

  /** Every page of a search, following cursors until there is no next page. */
  followSearch<T>(
    fetchPage: (options: SearchOptions) => Promise<SearchPage<T>>,
    options: SearchOptions = {},
  ): AsyncGenerator<SearchPage<T>> {
    return this.#follow(fetchPage, options);
  }

  async *#follow<T>(
    fetchPage: (options: SearchOptions) => Promise<SearchPage<T>>,
    options: SearchOptions,
  ): AsyncGenerator<SearchPage<T>> {
    let cursor = options.startingAfter ?? null;
    for (;;) {
      const page = await fetchPage({ ...options, startingAfter: cursor });
      yield page;
      if (page.nextCursor === null) return;
      if (page.nextCursor === cursor) {
        this.stats.errors++;
        throw new ApiError(
          `Intercom returned the same search cursor twice ("${cursor}"): stopping instead of ` +
            "looping; retry the sync, and report this if it persists",
        );
      }
      cursor = page.nextCursor;
    }
  }

  async #get<S extends z.ZodTypeAny>(
    path: string,
    schema: S,
    options: { signal?: AbortSignal | undefined; records?: Records },
  ) {
    const json = await this.#call({ method: "GET", path, signal: options.signal });
    return this.#parse(`GET ${path.split("?")[0]}`, schema, json, options.records);
  }

  async #post<S extends z.ZodTypeAny>(
    path: string,
    schema: S,
    options: { body: unknown; signal: AbortSignal | undefined; records?: Records },
  ) {
    const { records, ...call } = options;
    const json = await this.#call({ method: "POST", path, ...call });
    return this.#parse(`POST ${path}`, schema, json, records);
  }

  /** Each item of a list read on its own: the readable ones, and what is wrong with the rest. */
  #readItems<S extends z.ZodTypeAny>(
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
      this.stats.errors++;
      unreadable.push({
        id: found?.id ?? null,
        reason: this.#redact(found?.reason ?? "invalid"),
      });
    });
    return { items, unreadable };
  }

  #parse<S extends z.ZodTypeAny>(
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
      this.stats.errors++;
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
    this.stats.errors++;
    throw error;
  }

  /** Runs one API call to completion: the JSON body, or `null` for an allowed 404. */
  async #call(call: Call): Promise<unknown> {
    try {
      return await this.#loop(call);
    } catch (error) {
      if (error instanceof IntercomError) this.stats.errors++;
      throw error;
    }
  }

  async #loop(call: Call): Promise<unknown> {
    const endpoint = _endpoint(call);
    let attempts = 0;
    let rateLimitWaits = 0;
    for (;;) {
      const permit = await this.#acquire(call.signal);
      attempts++;
      const outcome = await this.#attempt(call, permit, attempts);
      if (outcome.kind === "ok") return outcome.json;
      if (outcome.kind === "not_found") return null;
      if (outcome.kind === "fatal") throw outcome.error;
      if (outcome.kind === "rate_limited") {
        attempts--; // 429s do not count against maxAttempts.
        this.stats.rateLimited++;
        if (++rateLimitWaits > this.#maxRateLimitWaits) {
          throw new RateLimitError(
            `Intercom kept rate-limiting ${endpoint}: ${rateLimitWaits} consecutive 429 ` +
              "responses — another app or process may be using this workspace's rate limit; " +
              "stop it, lower concurrency, or retry later",
            { status: 429, code: "rate_limit_exceeded" },
          );
        }
        continue;
      }
      rateLimitWaits = 0;
      if (attempts >= this.#maxAttempts) {
        throw giveUpError(outcome, { endpoint, host: this.#host, attempts });
      }
      const waitMs = backoffDelay(attempts, this.#backoff);
      this.#log.warn(
        "Retrying {endpoint} in {waitMs} ms after {reason} ({detail}); attempt {next} of {max}",
        {
          endpoint,
          waitMs,
          reason: outcome.reason,
          detail: outcome.detail,
          next: attempts + 1,
          max: this.#maxAttempts,
        },
      );
      this.stats.retries++;
      await this.#sleep(waitMs, call.signal);
    }
  }

  async #acquire(signal: AbortSignal | undefined): Promise<RateLimitPermit> {
    if (this.#waiting++ === 0) this.#waitStartedAt = this.#clock();
    try {
      return await this.#limiter.acquire(signal);
    } finally {
      if (--this.#waiting === 0) this.stats.rateLimitWaitMs += this.#clock() - this.#waitStartedAt;
    }
  }

  /** One HTTP exchange; only a caller's abort (or a bug) escapes as an exception. */
  async #attempt(call: Call, permit: RateLimitPermit, attempt: number): Promise<AttemptOutcome> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.#timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout.signal]) : timeout.signal;
    const started = this.#clock();
    let response: RateLimitedResponse | null = null;
    let outcome = "aborted";
    this.stats.requests++;
    try {
      const res = await this.#fetch(`${this.#baseUrl}${call.path}`, {
        method: call.method,
        headers: call.method === "POST"
          ? { ...this.#headers, "Content-Type": "application/json" }
          : this.#headers,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        signal,
      });
      outcome = "network";
      const body = await res.text();
      response = res;
      outcome = String(res.status);
      return classifyResponse(res, body, {
        endpoint: _endpoint(call),
        secret: this.#token,
        ...(call.notFoundAsNull ? { notFoundAsNull: true } : {}),
      });
    } catch (error) {
      if (call.signal?.aborted) throw call.signal.reason;
      if (timeout.signal.aborted) {
        outcome = "timeout";
        const detail = `no answer within ${this.#timeoutMs} ms`;
        return { kind: "retry", reason: "timeout", detail, facts: { cause: error } };
      }
      if (!_isConnectionError(error)) throw error;
      outcome = "network";
      const detail = this.#redact(error.message);
      return { kind: "retry", reason: "connection error", detail, facts: { cause: error } };
    } finally {
      clearTimeout(timer);
      permit.release(response);
      const byStatus = this.stats.byEndpoint[endpointTemplate(call.method, call.path)] ??= {};
      byStatus[outcome] = (byStatus[outcome] ?? 0) + 1;
      this.#log.debug("{method} {path} {status} in {ms} ms (attempt {attempt})", {
        method: call.method,
        path: call.path,
        status: response?.status ?? "no response",
        ms: this.#clock() - started,
        attempt,
      });
    }
  }

  #redact(text: string): string {
    return redact(text, this.#token);
  }
}

function _endpoint(call: Call): string {
  return `${call.method} ${call.path.split("?")[0]}`;
}

/** Errors fetch and body reads raise when the connection fails (as opposed to our bugs). */
function _isConnectionError(error: unknown): error is Error {
  return error instanceof TypeError ||
    Object.values(Deno.errors).some((kind) => error instanceof kind);
}

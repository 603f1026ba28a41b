/**
 * The typed Intercom REST client used by sync, `init`, health checks and MCP: its endpoints
 * and search paging. Every call goes through one paced, retrying loop (`transport.ts`) and
 * its body is read with the endpoint's schema (`body_reader.ts`).
 *
 * @example
 * const client = new IntercomClient({ baseUrl: REGION_HOSTS.us, token });
 * for await (const page of client.searchConversations(updatedBetween(since, now))) { … }
 */
import { getLogger } from "@logtape/logtape";
import { z } from "zod";
import denoConfig from "../../deno.json" with { type: "json" };
import { ConfigError } from "../errors.ts";
import { type Clock, realSleep, type Sleep, systemClock } from "../util/clock.ts";
import { BodyReader } from "./body_reader.ts";
import { ApiError } from "./errors.ts";
import type { Records } from "./malformed.ts";
import { RateLimiter, type RateLimitState, type RateLimitWait } from "./rate_limiter.ts";
import type { BackoffOptions } from "./retry.ts";
import {
  type ItemsRead,
  searchBody,
  type SearchOptions,
  type SearchPage,
  toPage,
} from "./paging.ts";
import { type Call, type ClientStats, endpointOf, Transport } from "./transport.ts";
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

export type { Call, ClientStats } from "./transport.ts";
export type { ItemsRead, SearchOptions, SearchPage, UnreadableItem } from "./paging.ts";

/** A call an endpoint module makes through {@link IntercomClient.request}. */
export interface EndpointCall<S extends z.ZodTypeAny> extends Call {
  /** What a 2xx body must be. */
  schema: S;
  /** Which records the body holds, so that a bad one is a `MalformedRecordError`. */
  records?: Records;
}

/** A call of a list endpoint whose items are read one by one ({@link IntercomClient.requestItems}). */
export interface ItemsCall<E extends z.ZodTypeAny, S extends z.ZodTypeAny> extends Call {
  /** What the body around the list must be (the list itself is read with `item`). */
  schema: E;
  /** What each item must be. */
  item: S;
  /** The kind of the items, the endpoint, and the key of the list in the body. */
  records: Records & { list: string };
  /** Keys the list may come under instead of `records.list`, when that one is absent. */
  otherLists?: readonly string[];
}

/** A typed, paced, retrying client of Intercom's REST API. */
export class IntercomClient {
  /** Live traffic counters. */
  readonly stats: ClientStats;
  readonly #transport: Transport;
  readonly #reader: BodyReader;
  readonly #limiter: RateLimiter;

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
    const version = options.version ?? DEFAULT_INTERCOM_VERSION;
    const random = options.random ?? Math.random;
    const clock = options.clock ?? systemClock;
    const sleep = options.sleep ?? realSleep;
    const logCategory = options.logCategory ?? API_LOG_CATEGORY;
    this.#limiter = options.limiter ?? new RateLimiter({ clock, sleep, random, logCategory });
    this.#transport = new Transport({
      baseUrl: url.href.replace(/\/+$/, ""),
      host: url.host,
      token: options.token,
      headers: {
        "Authorization": `Bearer ${options.token}`,
        "Accept": "application/json",
        "Intercom-Version": version,
        "User-Agent": options.userAgent ?? DEFAULT_USER_AGENT,
      },
      timeoutMs: options.timeoutMs ?? 30_000,
      maxAttempts: Math.max(1, options.maxAttempts ?? 6),
      maxRateLimitWaits: Math.max(0, options.maxRateLimitWaits ?? 20),
      backoff: { ...options.backoff, random },
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      clock,
      sleep,
      limiter: this.#limiter,
      log: getLogger([...logCategory]),
    });
    this.stats = this.#transport.stats;
    this.#reader = new BodyReader({ version, token: options.token, stats: this.stats });
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
      const read = await this.requestItems({
        method: "POST",
        path: "/conversations/search",
        body,
        signal: options.signal,
        schema: ConversationListSchema.omit({ conversations: true }),
        item: ConversationSummarySchema,
        records,
      });
      const page = toPage(read.items, read.body.total_count, read.body.pages);
      return { ...page, unreadable: read.unreadable };
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
      const read = await this.requestItems({
        method: "POST",
        path: "/contacts/search",
        body,
        signal: options.signal,
        schema: ContactListSchema.omit({ data: true }),
        item: ContactSchema,
        records,
      });
      const total = read.body.total_count ?? read.items.length + read.unreadable.length;
      return { ...toPage(read.items, total, read.body.pages), unreadable: read.unreadable };
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
    const json = await this.#transport.call({ method: "GET", path, signal, notFoundAsNull: true });
    if (json === null) return null;
    return this.#reader.parse(`GET ${path}`, ContactSchema, json, {
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
    const json = await this.#transport.call(rest);
    if (json === null) return null;
    return this.#reader.parse(endpointOf(call), schema, json, records);
  }

  /**
   * One call of a list endpoint whose items are read one by one: the body (its list as raw
   * values), the readable items, and the unreadable ones with their id and reason — one odd
   * record does not fail the call. A body whose envelope cannot be read throws `ApiError`.
   */
  async requestItems<E extends z.ZodTypeAny, S extends z.ZodTypeAny>(
    call: ItemsCall<E, S>,
  ): Promise<ItemsRead<z.output<S>> & { body: z.output<E> }> {
    const { schema, item, otherLists, records: given, ...rest } = call;
    const json = await this.#transport.call(rest);
    const keys = [given.list, ...(otherLists ?? [])];
    const body = json as Record<string, unknown> | null;
    const list = keys.find((key) => Array.isArray(body?.[key])) ?? given.list;
    const records = { ...given, list };
    const envelope = schema.and(z.object({ [list]: z.array(z.unknown()) }));
    const read = this.#reader.parse(endpointOf(call), envelope, json);
    return { body: read, ...this.#reader.readItems(records, item, read[list] as unknown[]) };
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
    const json = await this.#transport.call({ method: "GET", path, signal: options.signal });
    return this.#reader.parse(endpointOf({ method: "GET", path }), schema, json, options.records);
  }

  async #post<S extends z.ZodTypeAny>(
    path: string,
    schema: S,
    options: { body: unknown; signal: AbortSignal | undefined; records?: Records },
  ) {
    const { records, ...call } = options;
    const json = await this.#transport.call({ method: "POST", path, ...call });
    return this.#reader.parse(`POST ${path}`, schema, json, records);
  }
}

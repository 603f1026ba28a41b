/**
 * The workspace id behind Intercom inbox links: from the config (written by `init`), else
 * asked once from `GET /me` in the background and cached. Tools never wait long for it: a
 * link is left out rather than delaying an answer.
 */
import { getLogger } from "@logtape/logtape";
import type { Region } from "../intercom/hosts.ts";
import { type Clock, systemClock } from "../util/clock.ts";

const log = getLogger(["fast-intercom", "mcp"]);

/** The web app's host for each data-hosting region. */
const APP_HOSTS: Readonly<Record<Region, string>> = {
  us: "app.intercom.com",
  eu: "app.eu.intercom.com",
  au: "app.au.intercom.com",
};

/** The Intercom inbox link of a conversation, on the web app of the workspace's region. */
export function inboxUrl(
  workspaceId: string,
  conversationId: string,
  region: Region = "us",
): string {
  return `https://${APP_HOSTS[region]}/a/inbox/${
    encodeURIComponent(workspaceId)
  }/inbox/conversation/${encodeURIComponent(conversationId)}`;
}

/**
 * The region whose web app shows the workspace: the API host's region when the API URL is one
 * of Intercom's regional hosts (`api.eu.intercom.io`), else the configured region.
 */
export function regionOf(apiUrl: string, configured: Region): Region {
  try {
    const host = new URL(apiUrl).hostname.toLowerCase();
    if (host === "api.eu.intercom.io") return "eu";
    if (host === "api.au.intercom.io") return "au";
    if (host === "api.intercom.io") return "us";
  } catch {
    // not a URL: the configured region
  }
  return configured;
}

/** The Intercom page of a contact (their conversations), on the region's web app. */
export function contactUrl(workspaceId: string, contactId: string, region: Region = "us"): string {
  return `https://${APP_HOSTS[region]}/a/apps/${encodeURIComponent(workspaceId)}/users/${
    encodeURIComponent(contactId)
  }/all-conversations`;
}

/** A conversation's inbox link, or null while the workspace id is unknown. */
export type InboxLink = (conversationId: string) => string | null;

/** Options of {@link WorkspaceId}. */
export interface WorkspaceIdOptions {
  /** The id from the config, if known. Default: none. */
  known?: string | null;
  /** Asks Intercom (`me().app.id_code`); null when no token is configured. Default: none. */
  lookup?: (() => Promise<string>) | null;
  /** The data-hosting region, for the web app's host in links. Default "us". */
  region?: Region;
  /** After a failed lookup, wait this long before trying again. Default 60 000 ms. */
  retryAfterMs?: number;
  /** Default: the system clock. */
  clock?: Clock;
}

/** Resolves and caches the workspace id; see the module comment. */
export class WorkspaceId {
  #value: string | null;
  #lookup: (() => Promise<string>) | null;
  #pending: Promise<string | null> | null = null;
  #failedAt: number | null = null;
  #retryAfterMs: number;
  #clock: Clock;
  #region: Region;

  constructor(options: WorkspaceIdOptions = {}) {
    this.#value = options.known ?? null;
    this.#lookup = options.lookup ?? null;
    this.#retryAfterMs = options.retryAfterMs ?? 60_000;
    this.#clock = options.clock ?? systemClock;
    this.#region = options.region ?? "us";
  }

  /** The data-hosting region links point to. */
  get region(): Region {
    return this.#region;
  }

  /** Inbox links, once the id is known (waiting at most `waitMs` as {@link WorkspaceId.get}). */
  async links(waitMs?: number): Promise<InboxLink> {
    const id = await this.get(waitMs);
    const region = this.#region;
    return (conversationId) => id === null ? null : inboxUrl(id, conversationId, region);
  }

  /** The id if already known. */
  get current(): string | null {
    return this.#value;
  }

  /** Starts a lookup when needed (not more often than `retryAfterMs` after a failure). */
  prefetch(): Promise<string | null> {
    if (this.#value !== null) return Promise.resolve(this.#value);
    if (this.#pending) return this.#pending;
    if (this.#lookup === null) return Promise.resolve(null);
    if (this.#failedAt !== null && this.#clock() - this.#failedAt < this.#retryAfterMs) {
      return Promise.resolve(null);
    }
    this.#pending = this.#lookup().then(
      (id) => {
        this.#value = id;
        log.debug("workspace id {id} from GET /me", { id });
        return id;
      },
      (error: unknown) => {
        this.#failedAt = this.#clock();
        log.warning("cannot look up the workspace id for inbox links: {error}", {
          error: error instanceof Error ? error.message : String(error),
        });
        return null;
      },
    ).finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  /** The id, waiting at most `waitMs` for a lookup in flight; null when not known by then. */
  async get(waitMs = 1500): Promise<string | null> {
    if (this.#value !== null) return this.#value;
    const lookup = this.prefetch();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), waitMs);
    });
    try {
      return await Promise.race([lookup, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The workspace id behind Intercom inbox links: from the config (written by `init`), else
 * asked once from `GET /me` in the background and cached. Tools never wait long for it: a
 * link is left out rather than delaying an answer.
 */
import { getLogger } from "@logtape/logtape";
import { type Clock, systemClock } from "../util/clock.ts";

const log = getLogger(["fast-intercom", "mcp"]);

/** The Intercom inbox link of a conversation. */
export function inboxUrl(workspaceId: string, conversationId: string): string {
  return `https://app.intercom.com/a/inbox/${encodeURIComponent(workspaceId)}/inbox/conversation/${
    encodeURIComponent(conversationId)
  }`;
}

/** Options of {@link WorkspaceId}. */
export interface WorkspaceIdOptions {
  /** The id from the config, if known. Default: none. */
  known?: string | null;
  /** Asks Intercom (`me().app.id_code`); null when no token is configured. Default: none. */
  lookup?: (() => Promise<string>) | null;
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

  constructor(options: WorkspaceIdOptions = {}) {
    this.#value = options.known ?? null;
    this.#lookup = options.lookup ?? null;
    this.#retryAfterMs = options.retryAfterMs ?? 60_000;
    this.#clock = options.clock ?? systemClock;
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

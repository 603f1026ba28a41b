/**
 * The MCP endpoint of `serve` (Streamable HTTP), with sessions:
 *
 * - `initialize` (POST, no `Mcp-Session-Id`) opens a session: one server and transport that
 *   answer that client's later requests (sent with the id the answer carries). Answers come
 *   as SSE streams, which carry progress notifications, except that a read-only tool call
 *   without a progress token is answered as JSON (`direct_calls.ts`); a `GET` with the id
 *   opens the stream for server messages (log notifications of background syncs);
 *   `notifications/cancelled` reaches the request it cancels; `DELETE` ends the session.
 * - Any other POST without a session id is answered by a fresh server as JSON (stateless),
 *   for simple clients and `curl`.
 * - An unknown or expired session id is answered 404, which tells a client to initialize
 *   again (the specification's rule).
 *
 * Sessions idle for `idleMs` are closed, and past `maxSessions` the least recently used one
 * is, so a crowd of clients cannot grow memory without bound.
 */
// @ts-types="@modelcontextprotocol/sdk/server/webStandardStreamableHttp"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { getLogger } from "@logtape/logtape";
import type { McpApp } from "./app.ts";
import { createMcpServer } from "./server.ts";
import { answerDirectly, directCall, directHeaders } from "./direct_calls.ts";
import { CallTurns, type NextTurn } from "./call_turns.ts";
import { TOOLS } from "./tool_table.ts";

/** Tools whose calls never stream anything back (no progress, nothing to cancel). */
const DIRECT_TOOLS: ReadonlySet<string> = new Set(
  TOOLS.filter((tool) => tool.annotations.readOnlyHint === true).map((tool) => tool.name),
);

const log = getLogger(["fast-intercom", "mcp", "http"]);

/** Options of {@link McpSessions}. */
export interface McpSessionsOptions {
  /** Most sessions kept at once. Default 1,000. */
  maxSessions?: number;
  /** A session without requests this long is closed. Default 30 minutes. */
  idleMs?: number;
  /** Default: `Date.now`. */
  clock?: () => number;
  /**
   * The turn of the event loop between direct tool calls (`call_turns.ts`); `serve` passes
   * one that polls I/O at once (`io_turn.ts`). Default: a zero-delay timer.
   */
  nextTurn?: NextTurn;
}

interface Session {
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
  lastUsed: number;
}

/** The largest request body accepted, as the SDK's own limit. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The body of `request`, or null when it is larger than {@link MAX_BODY_BYTES}. */
async function readBody(request: Request): Promise<string | null> {
  const header = request.headers.get("content-length");
  const declared = header === null ? NaN : Number(header);
  if (declared > MAX_BODY_BYTES) return null;
  // the HTTP server reads exactly the declared length; read at once (no stream to walk)
  if (Number.isSafeInteger(declared) && declared >= 0) return await request.text();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body ?? []) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return new TextDecoder().decode(bytes);
}

function rpcError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** Whether a parsed POST body is (or, as a batch, holds) an `initialize` request. */
function isInitialize(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((m) =>
    m !== null && typeof m === "object" && (m as { method?: unknown }).method === "initialize"
  );
}

/** The sessions of one HTTP server; see the module comment. */
export class McpSessions {
  readonly #app: McpApp;
  readonly #sessions = new Map<string, Session>();
  readonly #maxSessions: number;
  readonly #idleMs: number;
  readonly #clock: () => number;
  readonly #sweeper: ReturnType<typeof setInterval>;
  readonly #turns: CallTurns;

  constructor(app: McpApp, options: McpSessionsOptions = {}) {
    this.#app = app;
    this.#maxSessions = options.maxSessions ?? 1000;
    this.#idleMs = options.idleMs ?? 30 * 60_000;
    this.#clock = options.clock ?? Date.now;
    this.#turns = new CallTurns(options.nextTurn ?? ((callback) => void setTimeout(callback, 0)));
    this.#sweeper = setInterval(() => this.sweep(), Math.min(60_000, this.#idleMs));
    Deno.unrefTimer(this.#sweeper);
  }

  /** Open sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Answers one request to the MCP endpoint. */
  async handle(request: Request): Promise<Response> {
    const id = request.headers.get("mcp-session-id");
    if (id !== null) {
      const session = this.#sessions.get(id);
      if (session === undefined) {
        return rpcError(404, -32001, "Session not found: initialize a new session");
      }
      session.lastUsed = this.#clock();
      return directHeaders(request)
        ? await this.#post(id, session, request)
        : await session.transport.handleRequest(request);
    }
    if (request.method !== "POST") {
      return rpcError(
        400,
        -32000,
        "Bad Request: GET and DELETE need the Mcp-Session-Id of an initialized session",
      );
    }
    const text = await readBody(request);
    if (text === null) {
      return rpcError(413, -32000, `Payload too large: at most ${MAX_BODY_BYTES} bytes`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return rpcError(400, -32700, "Parse error: the body is not JSON");
    }
    return isInitialize(body)
      ? await this.#open(request, body)
      : await this.#stateless(request, body);
  }

  /** A POST of a session: a plain read-only tool call as JSON (direct_calls.ts), else the transport's. */
  async #post(id: string, session: Session, request: Request): Promise<Response> {
    if (Number(request.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) {
      return await session.transport.handleRequest(request); // the SDK's 413
    }
    const text = await readBody(request);
    if (text === null) {
      return rpcError(
        413,
        -32000,
        `Payload Too Large: Request body must not exceed ${MAX_BODY_BYTES} bytes`,
      );
    }
    let body: unknown = undefined;
    try {
      body = JSON.parse(text);
    } catch {
      // the transport answers it (a parse error), from the same text
    }
    const call = body === undefined ? null : directCall(body, DIRECT_TOOLS);
    if (call !== null) {
      return await this.#turns.run(() =>
        answerDirectly(session.server, call, { sessionId: id, request })
      );
    }
    return await session.transport.handleRequest(
      new Request(request.url, { method: "POST", headers: request.headers, body: text }),
    );
  }

  async #open(request: Request, body: unknown): Promise<Response> {
    if (this.#sessions.size >= this.#maxSessions) this.#evictLeastRecent();
    const server = createMcpServer(this.#app.ctx);
    const session: Session = { server, transport: undefined!, lastUsed: this.#clock() };
    session.transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      onsessioninitialized: (id) => void this.#sessions.set(id, session),
      onsessionclosed: (id) => void this.#sessions.delete(id),
    });
    session.transport.onclose = () => {
      const id = session.transport.sessionId;
      if (id !== undefined) this.#sessions.delete(id);
    };
    await server.connect(session.transport);
    return await session.transport.handleRequest(request, { parsedBody: body });
  }

  async #stateless(request: Request, body: unknown): Promise<Response> {
    const server = createMcpServer(this.#app.ctx);
    // no sessionIdGenerator: stateless mode
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    try {
      await server.connect(transport);
      return await transport.handleRequest(request, { parsedBody: body });
    } finally {
      // JSON responses are complete here; closing frees the per-request server
      await server.close().catch(() => {});
    }
  }

  #evictLeastRecent(): void {
    let oldest: [string, Session] | null = null;
    for (const entry of this.#sessions) {
      if (oldest === null || entry[1].lastUsed < oldest[1].lastUsed) oldest = entry;
    }
    if (oldest === null) return;
    log.info("closing the least recently used MCP session: {max} sessions are open", {
      max: this.#maxSessions,
    });
    this.#close(oldest[0], oldest[1]);
  }

  #close(id: string, session: Session): void {
    this.#sessions.delete(id);
    void session.server.close().catch(() => {});
  }

  /** Closes sessions idle longer than `idleMs`. */
  sweep(): void {
    const now = this.#clock();
    for (const [id, session] of this.#sessions) {
      if (now - session.lastUsed > this.#idleMs) this.#close(id, session);
    }
  }

  /** Closes every session. */
  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(sessions.map((s) => s.server.close().catch(() => {})));
  }
}

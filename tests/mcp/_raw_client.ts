/**
 * MCP traffic without the SDK's client, for the tests that check the wire itself: an
 * `initialize` request, a session opened over plain POSTs, and the first line `serve` prints.
 */

/** An `initialize` request of protocol 2025-06-18 from a client named `client`. */
export function initializeRequest(options: { id?: number; client?: string } = {}) {
  return {
    jsonrpc: "2.0",
    id: options.id ?? 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: options.client ?? "t", version: "1" },
    },
  };
}

/**
 * Opens a session with `post` (which sends `headers`): initializes (id 0), puts the session
 * id (and with `protocolVersion`, the version) into `headers`, then sends
 * `notifications/initialized` and returns its response (the caller reads or cancels it).
 */
export async function openRawSession(
  post: (body: unknown) => Promise<Response>,
  headers: Record<string, string>,
  options: { protocolVersion?: boolean } = {},
): Promise<Response> {
  const init = await post(initializeRequest({ id: 0 }));
  await init.body?.cancel();
  headers["mcp-session-id"] = init.headers.get("mcp-session-id")!;
  if (options.protocolVersion) headers["mcp-protocol-version"] = "2025-06-18";
  return await post({ jsonrpc: "2.0", method: "notifications/initialized" });
}

/** The first of `lines` (empty when there is none), leaving the rest readable. */
export async function firstLine(lines: ReadableStream<string>): Promise<string> {
  const reader = lines.getReader();
  try {
    return (await reader.read()).value ?? "";
  } finally {
    reader.releaseLock();
  }
}

import assert from "node:assert/strict";
import { openMcpApp } from "../../lib/mcp/app.ts";
import {
  corsHeaders,
  isPreflight,
  preflightResponse,
  withCorsHeaders,
} from "../../lib/mcp/cors.ts";
import { createHttpHandler, serveHttp } from "../../lib/mcp/http.ts";
import { hasTool, nameUnless } from "../_fixtures/tools.ts";
import { syncedFixture } from "./_fixtures.ts";
import { initializeRequest } from "./_raw_client.ts";

const KEY = "cors-test-key-0123456789abcdef0123456789";
const ALLOWED = "https://inspector.example";

const initialize = initializeRequest({ client: "b" });

Deno.test("preflightResponse() allows the MCP methods and the headers asked for, cached 10 minutes", () => {
  const request = new Request("http://127.0.0.1/mcp", {
    method: "OPTIONS",
    headers: {
      origin: ALLOWED,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type, mcp-protocol-version",
    },
  });
  assert.ok(isPreflight(request));
  const response = preflightResponse(request, ALLOWED);
  assert.equal(response.status, 204);
  assert.equal(response.headers.get("access-control-allow-origin"), ALLOWED);
  assert.equal(response.headers.get("access-control-allow-methods"), "GET, POST, DELETE, OPTIONS");
  assert.equal(
    response.headers.get("access-control-allow-headers"),
    "authorization, content-type, mcp-protocol-version",
  );
  assert.equal(response.headers.get("access-control-max-age"), "600");
  assert.deepEqual(corsHeaders(null), {});
  assert.match(
    corsHeaders(ALLOWED)["access-control-expose-headers"]!,
    /Mcp-Session-Id, MCP-Protocol-Version/,
  );
});

Deno.test("the HTTP handler answers preflights and adds CORS headers for allowed origins only", async () => {
  await using fx = await syncedFixture({ conversations: 3, seed: 2 });
  await using app = openMcpApp(fx.settings, {
    sessionId: "cors",
    transport: "http",
    syncIntervalMinutes: 0,
    maxSyncAgeMinutes: 0,
  });
  const handle = createHttpHandler(app, { loopback: true, apiKey: KEY, allowedOrigins: [ALLOWED] });
  const preflight = (origin: string) =>
    handle(
      new Request("http://127.0.0.1:8000/mcp", {
        method: "OPTIONS",
        headers: {
          host: "127.0.0.1:8000",
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      }),
    );
  const ok = await preflight(ALLOWED);
  assert.equal(ok.status, 204, "preflight needs no key (browsers never send one)");
  assert.equal(ok.headers.get("access-control-allow-origin"), ALLOWED);
  const local = await preflight("http://localhost:6274"); // the MCP Inspector's web UI
  assert.equal(local.status, 204);
  const foreign = await preflight("https://evil.example");
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers.get("access-control-allow-origin"), null);
  await foreign.body?.cancel();

  const post = (headers: Record<string, string>) =>
    handle(
      new Request("http://127.0.0.1:8000/mcp", {
        method: "POST",
        headers: {
          host: "127.0.0.1:8000",
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
        body: JSON.stringify(initialize),
      }),
    );
  const answered = await post({ origin: ALLOWED, authorization: `Bearer ${KEY}` });
  assert.equal(answered.status, 200);
  assert.equal(answered.headers.get("access-control-allow-origin"), ALLOWED);
  assert.match(answered.headers.get("access-control-expose-headers") ?? "", /Mcp-Session-Id/);
  assert.equal(answered.headers.get("vary"), "Origin");
  await answered.body?.cancel();
  const unauthorized = await post({ origin: ALLOWED });
  assert.equal(unauthorized.status, 401);
  assert.equal(
    unauthorized.headers.get("access-control-allow-origin"),
    ALLOWED,
    "a page can read the 401",
  );
  await unauthorized.body?.cancel();
  const noBrowser = await post({ authorization: `Bearer ${KEY}` });
  assert.equal(noBrowser.headers.get("access-control-allow-origin"), null);
  await noBrowser.body?.cancel();
});

const chromium = await hasTool("chromium");

/**
 * A page that initializes an MCP session with `mcpUrl`, lists the tools and posts the outcome
 * to its own origin's `/done`. Its image `/wait` is held until then, so the page's load event
 * (after which `chromium --dump-dom` exits) comes after the outcome.
 */
function clientPage(mcpUrl: string, key: string): string {
  return `<html><body><img src="/wait"><script>
(async () => {
  const headers = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    authorization: "Bearer ${key}",
  };
  // an answer comes as JSON or as an SSE stream whose data line holds it
  const rpc = async (response) => {
    const text = await response.text();
    const data = text.startsWith("{") ? text : text.split("\\n").find((l) => l.startsWith("data: ")).slice(6);
    return JSON.parse(data);
  };
  let outcome;
  try {
    const init = await fetch(${JSON.stringify(mcpUrl)}, {
      method: "POST",
      headers,
      body: JSON.stringify(${JSON.stringify(initialize)}),
    });
    const session = init.headers.get("mcp-session-id");
    const version = (await rpc(init)).result.protocolVersion;
    const next = { ...headers, "mcp-protocol-version": version };
    if (session) next["mcp-session-id"] = session;
    await fetch(${JSON.stringify(mcpUrl)}, {
      method: "POST",
      headers: next,
      body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
    });
    const list = await fetch(${JSON.stringify(mcpUrl)}, {
      method: "POST",
      headers: next,
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
    });
    const tools = (await rpc(list)).result.tools.map((t) => t.name);
    outcome = "RESULT " + JSON.stringify({ version, session, tools });
  } catch (error) {
    outcome = "FAILED " + error;
  }
  await fetch("/done", { method: "POST", body: outcome });
})();
</script></body></html>`;
}

/** Serves {@link clientPage} and collects what each visit posts to `/done`. */
function pageServer(page: () => string) {
  let done = Promise.withResolvers<string>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (r) => {
    const path = new URL(r.url).pathname;
    if (path === "/done") {
      done.resolve(await r.text());
      return new Response(null, { status: 204 });
    }
    if (path === "/wait") {
      await Promise.race([done.promise, new Promise((w) => setTimeout(w, 15_000))]);
      return new Response(null, { status: 204 });
    }
    return new Response(page(), { headers: { "content-type": "text/html" } });
  });
  return {
    port: server.addr.port,
    /** Opens `url` in headless Chromium; the outcome the page posted. */
    async visit(url: string): Promise<string> {
      done = Promise.withResolvers<string>();
      await new Deno.Command("chromium", {
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--host-resolver-rules=MAP app.test 127.0.0.1, MAP evil.test 127.0.0.1",
          "--dump-dom",
          url,
        ],
        stdout: "null",
        stderr: "null",
      }).output();
      return await Promise.race([done.promise, Promise.resolve("no outcome posted")]);
    },
    shutdown: () => server.shutdown(),
  };
}

Deno.test({
  name: nameUnless(
    chromium,
    "a page from an --allow-origin origin uses serve from a real browser; another origin cannot",
    "chromium",
    "apt-get install chromium",
  ),
  ignore: !chromium,
  async fn() {
    await using fx = await syncedFixture({ conversations: 3, seed: 2 });
    const app = openMcpApp(fx.settings, {
      sessionId: "cors-browser",
      transport: "http",
      syncIntervalMinutes: 0,
      maxSyncAgeMinutes: 0,
    });
    let mcpUrl = "";
    const pages = pageServer(() => clientPage(mcpUrl, KEY));
    await using server = await serveHttp(app, {
      port: 0,
      apiKey: KEY,
      allowedOrigins: [`http://app.test:${pages.port}`],
    });
    mcpUrl = server.url;
    try {
      const allowed = await pages.visit(`http://app.test:${pages.port}/`);
      assert.match(allowed, /^RESULT /, allowed);
      const result = JSON.parse(allowed.slice("RESULT ".length));
      assert.ok(result.tools.includes("search_conversations"), allowed);
      assert.match(result.session, /^[0-9a-f-]{36}$/, "the page can read Mcp-Session-Id");
      const refused = await pages.visit(`http://evil.test:${pages.port}/`);
      assert.match(refused, /^FAILED TypeError: Failed to fetch/, refused);
    } finally {
      await pages.shutdown();
    }
  },
});

Deno.test("withCorsHeaders() adds the CORS headers, extends a Vary already there, and keeps status and body", async () => {
  const original = new Response("body", {
    status: 201,
    statusText: "Made",
    headers: { vary: "Accept-Encoding", "content-type": "text/plain" },
  });
  const merged = withCorsHeaders(original, corsHeaders(ALLOWED));
  assert.equal(merged.status, 201);
  assert.equal(merged.statusText, "Made");
  assert.equal(merged.headers.get("access-control-allow-origin"), ALLOWED);
  assert.equal(merged.headers.get("vary"), "Accept-Encoding, Origin");
  assert.equal(merged.headers.get("content-type"), "text/plain");
  assert.equal(await merged.text(), "body");
  const plain = new Response("x");
  assert.equal(withCorsHeaders(plain, corsHeaders(null)), plain);
});

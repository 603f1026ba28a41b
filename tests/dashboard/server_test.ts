import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors.ts";
import { createMonitorHandler, serveMonitor } from "../../lib/dashboard/server.ts";

const routes = { "GET /metrics": () => new Response("m 1\n") };
const req = (path: string, init: RequestInit & { host?: string } = {}) =>
  new Request(`http://127.0.0.1:9464${path}`, {
    ...init,
    headers: { host: init.host ?? "127.0.0.1:9464", ...(init.headers ?? {}) },
  });

Deno.test("createMonitorHandler() answers routes, /health, 404 and 405", async () => {
  const handle = createMonitorHandler(routes, { apiKey: null, loopback: true });
  assert.equal(await (await handle(req("/metrics"))).text(), "m 1\n");
  assert.equal((await handle(req("/health"))).status, 200);
  const missing = await handle(req("/nope"));
  assert.equal(missing.status, 404);
  assert.match((await missing.json()).error, /\/metrics/);
  assert.equal((await handle(req("/metrics", { method: "POST" }))).status, 405);
});

Deno.test("createMonitorHandler() with a key refuses requests without it, /health excepted", async () => {
  const handle = createMonitorHandler(routes, { apiKey: "s3cret-key", loopback: false });
  const refused = await handle(req("/metrics"));
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get("www-authenticate"), 'Bearer realm="fast-intercom-mcp"');
  assert.equal(
    (await handle(req("/metrics", { headers: { authorization: "Bearer wrong" } })))
      .status,
    401,
  );
  const ok = await handle(req("/metrics", { headers: { authorization: "Bearer s3cret-key" } }));
  assert.equal(ok.status, 200);
  assert.equal((await handle(req("/health"))).status, 200);
});

Deno.test("createMonitorHandler() on loopback refuses a rebound Host and a foreign Origin", async () => {
  const handle = createMonitorHandler(routes, { apiKey: null, loopback: true });
  assert.equal((await handle(req("/metrics", { host: "evil.example:9464" }))).status, 403);
  assert.equal(
    (await handle(req("/metrics", { headers: { origin: "https://evil.example" } }))).status,
    403,
  );
  assert.equal(
    (await handle(req("/metrics", { headers: { origin: "http://localhost:3000" } }))).status,
    200,
  );
});

Deno.test("createMonitorHandler() turns a failing route into a 500 without its message", async () => {
  const handle = createMonitorHandler({
    "GET /metrics": () => {
      throw new Error("SQLITE_CORRUPT at /secret/path");
    },
  }, { apiKey: null, loopback: true });
  const res = await handle(req("/metrics"));
  assert.equal(res.status, 500);
  assert.doesNotMatch(await res.text(), /SQLITE|secret/);
});

Deno.test("serveMonitor() refuses to bind beyond loopback without a key", async () => {
  await assert.rejects(() => serveMonitor(routes, { host: "0.0.0.0", port: 0 }), ConfigError);
});

Deno.test("serveMonitor() listens on 127.0.0.1 and stops on close()", async () => {
  await using server = await serveMonitor(routes, {
    port: 0,
    allowedOrigins: ["https://ops.example"],
  });
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(await res.text(), "m 1\n");
  // through the connection guard, as a browser on an allowed origin asks
  const preflight = await fetch(`${server.url}/metrics`, {
    method: "OPTIONS",
    headers: { origin: "https://ops.example", "access-control-request-method": "GET" },
  });
  await preflight.body?.cancel();
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "https://ops.example");
  await server.close();
  await server.close();
});

Deno.test("createMonitorHandler() answers an allowed origin's preflight and marks its answers for CORS; other origins get 403", async () => {
  const ops = "https://ops.example";
  const handle = createMonitorHandler({
    ...routes,
    "GET /api/state": () => Response.json({ processes: [] }),
    "GET /events": () =>
      new Response(new ReadableStream({ start: (c) => c.close() }), {
        headers: { "content-type": "text/event-stream" },
      }),
  }, { apiKey: "s3cret-key", loopback: false, allowedOrigins: [ops] });
  const preflight = (origin: string, path = "/api/state") =>
    handle(req(path, {
      method: "OPTIONS",
      host: "monitor.example:9464",
      headers: {
        origin,
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    }));
  for (const path of ["/api/state", "/metrics", "/events"]) {
    const ok = await preflight(ops, path);
    assert.equal(ok.status, 204, path);
    assert.equal(ok.headers.get("access-control-allow-origin"), ops);
    assert.match(ok.headers.get("access-control-allow-methods") ?? "", /\bGET\b/);
    assert.match(ok.headers.get("access-control-allow-headers") ?? "", /authorization/i);
    assert.match(ok.headers.get("access-control-expose-headers") ?? "", /WWW-Authenticate/i);
  }
  const foreign = await preflight("https://evil.example");
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers.get("access-control-allow-origin"), null);

  const get = (path: string, auth: boolean) =>
    handle(req(path, {
      host: "monitor.example:9464",
      headers: { origin: ops, ...(auth ? { authorization: "Bearer s3cret-key" } : {}) },
    }));
  for (const path of ["/api/state", "/metrics", "/events"]) {
    const res = await get(path, true);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get("access-control-allow-origin"), ops, path);
    assert.match(res.headers.get("vary") ?? "", /Origin/);
    await res.body?.cancel();
  }
  // the page can read the 401 and ask for the key
  const refused = await get("/api/state", false);
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get("access-control-allow-origin"), ops);
  // no origin, no CORS headers
  const plain = await handle(req("/metrics", {
    host: "monitor.example:9464",
    headers: { authorization: "Bearer s3cret-key" },
  }));
  assert.equal(plain.headers.get("access-control-allow-origin"), null);
});

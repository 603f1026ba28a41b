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

Deno.test("serveMonitor() refuses to bind beyond loopback without a key", () => {
  assert.throws(() => serveMonitor(routes, { host: "0.0.0.0", port: 0 }), ConfigError);
});

Deno.test("serveMonitor() listens on 127.0.0.1 and stops on close()", async () => {
  await using server = serveMonitor(routes, { port: 0 });
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(await res.text(), "m 1\n");
  await server.close();
  await server.close();
});

import assert from "node:assert/strict";
import { DEFAULT_LIMITS } from "../../lib/mcp/connection_guard.ts";
import { listenGuarded, resolveLimits } from "../../lib/mcp/guarded_listener.ts";

Deno.test("resolveLimits() keeps the given limits over serve's defaults and caps connections", async () => {
  const limits = await resolveLimits({ headersTimeoutMs: 1000 });
  assert.equal(limits.headersTimeoutMs, 1000);
  assert.equal(limits.idleTimeoutMs, DEFAULT_LIMITS.idleTimeoutMs);
  assert.ok(limits.maxConnections >= 4 && limits.maxConnections <= 1024);
  assert.equal((await resolveLimits({ maxConnections: 7 })).maxConnections, 7);
});

Deno.test("listenGuarded() relays requests to the handler, refuses past the cap, and closes twice safely", async () => {
  const server = await listenGuarded(
    (request) => new Response(`hello ${new URL(request.url).pathname}`),
    { hostname: "127.0.0.1", port: 0, limits: { maxConnections: 1 } },
  );
  try {
    const url = `http://127.0.0.1:${server.addr.port}`;
    const res = await fetch(`${url}/x`, { headers: { connection: "close" } });
    assert.equal(await res.text(), "hello /x");
    const held = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await new Promise((r) => setTimeout(r, 50));
    const busy = await fetch(url);
    assert.equal(busy.status, 503);
    await busy.body?.cancel();
    held.close();
  } finally {
    await server.close();
    await server.close();
  }
  await server.finished;
});

Deno.test("listenGuarded() on a busy port throws AddrInUse (for listenOn to name the port)", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    await assert.rejects(
      () =>
        listenGuarded(() => new Response("x"), { hostname: "127.0.0.1", port: taken.addr.port }),
      Deno.errors.AddrInUse,
    );
  } finally {
    taken.close();
  }
});

import assert from "node:assert/strict";
import { join } from "node:path";
import { guardConnections } from "../../lib/mcp/connection_guard.ts";
import { LineSplitStream } from "../../lib/util/lines.ts";
import { cliCommand, makeSandbox } from "../_fixtures/cli.ts";
import { firstLine } from "./_raw_client.ts";

const LIMITS = {
  maxConnections: 3,
  headersTimeoutMs: 200,
  requestTimeoutMs: 400,
  idleTimeoutMs: 300,
};

/** An upstream HTTP server on a Unix socket and a guard in front of it. */
async function guarded() {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "up.sock");
  const upstream = Deno.serve({ path, onListen: () => {} }, async (request) => {
    if (new URL(request.url).pathname === "/slow") await new Promise((r) => setTimeout(r, 600));
    return new Response(`ok ${await request.text().catch(() => "")}`);
  });
  const guard = guardConnections({
    hostname: "127.0.0.1",
    port: 0,
    upstream: () => path,
    limits: LIMITS,
    sweepIntervalMs: 20,
  });
  return {
    guard,
    connect: () => Deno.connect({ hostname: "127.0.0.1", port: guard.addr.port }),
    async [Symbol.asyncDispose]() {
      await guard.close();
      await upstream.shutdown();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const send = (conn: Deno.Conn, text: string) => conn.write(new TextEncoder().encode(text));

/** Everything the server sends until it closes (or 3 s pass), and when it closed. */
async function readUntilClosed(conn: Deno.Conn): Promise<{ text: string; ms: number }> {
  const started = performance.now();
  const buffer = new Uint8Array(4096);
  let text = "";
  const giveUp = setTimeout(() => conn.close(), 3000);
  try {
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
  } catch {
    text += "<closed by the test>";
  } finally {
    clearTimeout(giveUp);
  }
  try {
    conn.close();
  } catch {
    // closed already
  }
  return { text, ms: performance.now() - started };
}

Deno.test("guardConnections() closes a connection that sends no request within headersTimeoutMs", async () => {
  await using g = await guarded();
  const { text, ms } = await readUntilClosed(await g.connect());
  assert.equal(text, "");
  assert.ok(ms >= 150 && ms < 2000, `closed after ${ms} ms`);
  assert.equal(g.guard.stats().timedOut, 1);
});

Deno.test("guardConnections() answers 408 to a half-sent head and to a body sent too slowly", async () => {
  await using g = await guarded();
  const head = await g.connect();
  await send(head, "POST / HTTP/1.1\r\nHost: x\r\n");
  assert.match((await readUntilClosed(head)).text, /^HTTP\/1\.1 408 Request Timeout/);
  const body = await g.connect();
  await send(body, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab");
  const slow = await readUntilClosed(body);
  assert.match(slow.text, /^HTTP\/1\.1 408/);
  assert.ok(slow.ms >= 300, `closed after ${slow.ms} ms`);
});

Deno.test("guardConnections() relays requests, never cuts one awaiting its answer, and closes idle keep-alives", async () => {
  await using g = await guarded();
  const conn = await g.connect();
  // the answer takes 600 ms, twice the idle timeout
  await send(conn, "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nping");
  const { text, ms } = await readUntilClosed(conn);
  assert.match(text, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok ping$/);
  // closed for idleness after the answer: 600 ms + 300 ms
  assert.ok(ms >= 850 && ms < 2500, `closed after ${ms} ms`);
});

Deno.test("guardConnections() refuses connections past maxConnections with 503 and takes them again later", async () => {
  await using g = await guarded();
  const held = await Promise.all([g.connect(), g.connect(), g.connect()]);
  await new Promise((r) => setTimeout(r, 50));
  const extra = await readUntilClosed(await g.connect());
  assert.match(extra.text, /^HTTP\/1\.1 503 Service Unavailable[\s\S]*Server busy/);
  for (const conn of held) conn.close();
  await new Promise((r) => setTimeout(r, 50));
  const later = await g.connect();
  await send(later, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  assert.match((await readUntilClosed(later)).text, /^HTTP\/1\.1 200 OK/);
  const stats = g.guard.stats();
  assert.equal(stats.refused, 1);
  assert.equal(stats.open, 0);
});

Deno.test("guardConnections() closes a connection that does not speak HTTP/1.x", async () => {
  await using g = await guarded();
  const conn = await g.connect();
  await conn.write(new Uint8Array([0x16, 0x03, 0x01, 0x00, 0x05]));
  const { text, ms } = await readUntilClosed(conn);
  assert.equal(text, "");
  assert.ok(ms < 150, `closed after ${ms} ms`);
});

/** Opens `count` idle connections; resolves with them once each was accepted or refused. */
async function flood(port: number, count: number) {
  const conns: Deno.Conn[] = [];
  for (let i = 0; i < count; i++) conns.push(await Deno.connect({ hostname: "127.0.0.1", port }));
  return conns;
}

async function health(port: number): Promise<number> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    await response.body?.cancel();
    return response.status;
  } catch {
    return 0;
  }
}

for (
  const [label, extra] of [["the default cap", []], ["a cap above the limit", [
    "--max-connections",
    "1000",
  ]]] as const
) {
  Deno.test(`serve under ulimit -n 256 survives 300 idle connections with ${label}, then serves again`, async () => {
    await using box = await makeSandbox();
    const child = cliCommand(
      ["serve", "--port", "0", "--headers-timeout", "1", ...extra],
      { env: box.env, openFiles: 256 },
    ).spawn();
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new LineSplitStream(),
    );
    const stderr = new Response(child.stderr).text();
    try {
      const first = await firstLine(lines);
      const port = Number(/:(\d+)\/mcp/.exec(first)?.[1]);
      assert.ok(port > 0, first);
      const conns = await flood(port, 300);
      // all of them are closed by the server: refused at once, or after the head timeout
      const closed = await Promise.all(conns.map((c) => readUntilClosed(c)));
      assert.ok(closed.every((c) => c.ms < 2900), "a connection outlived the head timeout");
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = await health(port);
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(status, 200);
      assert.equal(
        await Promise.race([child.status.then(() => "exited"), Promise.resolve("alive")]),
        "alive",
      );
    } finally {
      child.kill("SIGTERM");
      await lines.cancel().catch(() => {});
    }
    const status = await child.status;
    const errText = await stderr;
    assert.equal(status.code, 0, errText);
    assert.match(
      errText,
      extra.length === 0
        ? /refused a connection: \d+ open, the limit is \d+/
        : /out of file descriptors/,
    );
  });
}

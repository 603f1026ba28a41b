import assert from "node:assert/strict";
import { LineSplitStream } from "../../lib/util/lines.ts";
import { DEFAULT_SIMULATOR_TOKEN } from "../../lib/simulator/mod.ts";
import { parseMutateInterval } from "../../lib/cli/simulate.ts";
import { cliCommand, makeSandbox, runCli } from "../_fixtures/cli.ts";

Deno.test("simulate --port 0 prints its URL first and answers /me and a search", async () => {
  await using box = await makeSandbox();
  const child = cliCommand(["simulate", "--port", "0", "--conversations", "30"], { env: box.env })
    .spawn();
  try {
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new LineSplitStream(),
    );
    const reader = lines.getReader();
    const first = await reader.read();
    reader.releaseLock();
    const url: string = first.value ?? "";
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const headers = {
      Authorization: `Bearer ${DEFAULT_SIMULATOR_TOKEN}`,
      Accept: "application/json",
    };
    const me = await (await fetch(`${url}/me`, { headers })).json();
    assert.equal(me.type, "admin");
    assert.ok(me.app.id_code);
    const search = await fetch(`${url}/conversations/search`, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify({
        query: { field: "updated_at", operator: ">", value: 0 },
        pagination: { per_page: 150 },
      }),
    });
    const body = await search.json();
    assert.equal(body.type, "conversation.list");
    assert.equal(body.total_count, 30);
  } finally {
    child.kill("SIGINT");
    const status = await child.status;
    await child.stdout.cancel().catch(() => {});
    await child.stderr.cancel().catch(() => {});
    assert.equal(status.code, 0, "Ctrl-C stops the simulator cleanly");
  }
});

Deno.test("parseMutateInterval() takes an interval or defaults to 5s", () => {
  assert.equal(parseMutateInterval(true), 5000);
  assert.equal(parseMutateInterval("250ms"), 250);
  assert.throws(() => parseMutateInterval("often"), /--mutate "often" is not valid/);
});

Deno.test("simulate, serve and monitor serve on a busy port exit 1 naming the port and --port 0", async () => {
  await using box = await makeSandbox();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = String((listener.addr as Deno.NetAddr).port);
    for (
      const args of [
        ["simulate", "--port", port],
        ["serve", "--port", port],
        ["monitor", "serve", "--port", port],
      ]
    ) {
      const run = await runCli(args, { env: box.env });
      assert.equal(run.code, 1, `${args.join(" ")}: ${run.stderr}`);
      assert.equal(
        run.stderr.trim().split("\n").at(-1),
        `fast-intercom-mcp: port ${port} is already in use by another program: stop it, or ` +
          "pass --port 0 to listen on any free port",
        args.join(" "),
      );
      assert.doesNotMatch(run.stderr, /os error|AddrInUse/);
    }
  } finally {
    listener.close();
  }
});

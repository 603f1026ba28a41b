import assert from "node:assert/strict";
import { LineSplitStream } from "../../lib/util/lines.ts";
import { DEFAULT_SIMULATOR_TOKEN } from "../../lib/simulator/mod.ts";
import { parseContactSearchLag, parseMutateInterval } from "../../lib/cli/simulate.ts";
import { cliCommand, makeSandbox, runCli } from "../_fixtures/cli.ts";

/** Ctrl-C to a spawned `simulate`: it must stop cleanly (exit 0); its pipes are released. */
async function interruptSimulator(child: Deno.ChildProcess): Promise<void> {
  child.kill("SIGINT");
  const status = await child.status;
  await child.stdout.cancel().catch(() => {});
  await child.stderr.cancel().catch(() => {});
  assert.equal(status.code, 0, "Ctrl-C stops the simulator cleanly");
}

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
    await interruptSimulator(child);
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

Deno.test("simulate --tickets, --companies and --contact-search-lag shape the workspace it serves", async () => {
  await using box = await makeSandbox();
  const child = cliCommand([
    "simulate",
    "--port",
    "0",
    "--conversations",
    "20",
    "--tickets",
    "7",
    "--companies",
    "4",
    "--contact-search-lag",
    "36500d",
  ], { env: box.env }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new LineSplitStream(),
    ).getReader();
    const url = (await reader.read()).value ?? "";
    reader.releaseLock();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const headers = {
      Authorization: `Bearer ${DEFAULT_SIMULATOR_TOKEN}`,
      Accept: "application/json",
      "Content-Type": "application/json",
    };
    const post = async (path: string, body: unknown) =>
      await (await fetch(`${url}${path}`, { method: "POST", headers, body: JSON.stringify(body) }))
        .json();
    const since = { field: "updated_at", operator: ">", value: 0 };
    const tickets = await post("/tickets/search", { query: since, pagination: { per_page: 150 } });
    assert.equal(tickets.total_count, 7);
    const companies = await (await fetch(`${url}/companies/scroll`, { headers })).json();
    assert.equal(companies.data.length, 4);
    // every contact is younger than the lag: contact search misses them, GET by id finds them
    const conversations = await post("/conversations/search", {
      query: since,
      pagination: { per_page: 1 },
    });
    const contactId = conversations.conversations[0].contacts.contacts[0].id;
    const contacts = await post("/contacts/search", {
      query: { field: "id", operator: "=", value: contactId },
    });
    assert.equal(contacts.total_count, 0);
    const byId = await fetch(`${url}/contacts/${contactId}`, { headers });
    assert.equal(byId.status, 200);
    await byId.body?.cancel();
  } finally {
    await interruptSimulator(child);
  }
});

Deno.test("simulate refuses a bad --tickets or --companies with exit 2 and one line naming it", async () => {
  await using box = await makeSandbox();
  for (
    const [flag, value, expected] of [
      ["--tickets", "-1", '--tickets "-1" is not valid: use a whole number from 0 to 2000000'],
      ["--companies", "0", '--companies "0" is not valid: use a whole number from 1 to 1000000'],
    ] as const
  ) {
    const run = await runCli(["simulate", "--port", "0", flag, value], { env: box.env });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, "");
    assert.equal(run.stderr.trim(), `fast-intercom-mcp: ${expected}`);
  }
});

Deno.test("parseContactSearchLag() takes a duration in whole seconds, or refuses naming the forms", () => {
  assert.equal(parseContactSearchLag("0"), 0);
  assert.equal(parseContactSearchLag("90s"), 90);
  assert.equal(parseContactSearchLag("5m"), 300);
  assert.throws(
    () => parseContactSearchLag("soon"),
    /--contact-search-lag "soon" is not valid: use a duration like 90s, 5m or 1h/,
  );
});

/**
 * The single-file distribution: the bundle runs alone from an empty directory, with reads and
 * writes confined to temporary directories, so nothing comes from the source tree at run time.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { bundle } from "../../scripts/bundle.ts";
import { taskFlags } from "../../scripts/task_flags.ts";
import { VERSION } from "../../lib/version.ts";
import { LineSplitStream } from "../../lib/util/lines.ts";
import { ROOT } from "../_fixtures/cli.ts";
import { TOOL_NAMES } from "../../lib/mcp/tool_table.ts";

const TOKEN = "sim-token-0123456789";

/** The bundle copied alone into an empty directory, and a sandbox for its data. */
interface Installed extends AsyncDisposable {
  /** The directory holding only the bundle (the working directory of every run). */
  dir: string;
  file: string;
  sandbox: string;
  env: Record<string, string>;
  /** `deno run` arguments: the `cli` task's permissions with reads and writes confined. */
  runArgs(args: string[]): string[];
}

async function install(): Promise<Installed> {
  const build = await Deno.makeTempDir({ prefix: "fim-bundle-build-" });
  const dir = await Deno.makeTempDir({ prefix: "fim-bundle-run-" });
  const sandbox = await Deno.makeTempDir({ prefix: "fim-bundle-data-" });
  try {
    await bundle(join(build, "fast-intercom-mcp.js"));
    await Deno.copyFile(join(build, "fast-intercom-mcp.js"), join(dir, "fast-intercom-mcp.js"));
  } finally {
    await Deno.remove(build, { recursive: true });
  }
  await Deno.mkdir(join(sandbox, "tmp"));
  const flags = taskFlags("cli").map((flag) =>
    flag === "--allow-read"
      ? `--allow-read=${dir},${sandbox}`
      : flag === "--allow-write"
      ? `--allow-write=${sandbox}`
      : flag
  );
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "",
    DENO_DIR: Deno.env.get("DENO_DIR") ??
      join(
        Deno.env.get("XDG_CACHE_HOME") ?? join(Deno.env.get("HOME") ?? "/root", ".cache"),
        "deno",
      ),
    HOME: join(sandbox, "home"),
    TMPDIR: join(sandbox, "tmp"),
    FASTINTERCOM_DATA_DIR: join(sandbox, "data"),
    FASTINTERCOM_STATUS_DIR: join(sandbox, "status"),
    FASTINTERCOM_QUIET: "true",
    NO_COLOR: "1",
  };
  const file = join(dir, "fast-intercom-mcp.js");
  return {
    dir,
    file,
    sandbox,
    env,
    runArgs: (args) => ["run", "--quiet", ...flags, file, ...args],
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      await Deno.remove(sandbox, { recursive: true }).catch(() => {});
    },
  };
}

async function run(app: Installed, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: app.runArgs(args),
    cwd: app.dir,
    env: app.env,
    clearEnv: true,
    stdin: "null",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/** Starts `simulate --port 0` from the bundle and returns its URL and a stop function. */
async function simulate(app: Installed, conversations: number) {
  const child = new Deno.Command(Deno.execPath(), {
    args: app.runArgs(["simulate", "--port", "0", "--conversations", String(conversations)]),
    cwd: app.dir,
    env: app.env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
    new LineSplitStream(),
  );
  const reader = lines.getReader();
  const first = await reader.read();
  reader.releaseLock();
  const drained = lines.pipeTo(new WritableStream()).catch(() => {});
  return {
    url: first.value ?? "",
    async stop() {
      child.kill("SIGINT");
      await child.status;
      await drained;
    },
  };
}

Deno.test("bundle() writes one executable file that runs --help, --version and demo from an empty directory", async () => {
  await using app = await install();
  const entries = [...Deno.readDirSync(app.dir)].map((e) => e.name);
  assert.deepEqual(entries, ["fast-intercom-mcp.js"], "the run directory holds the bundle alone");
  const head = (await Deno.readTextFile(app.file)).slice(0, 200);
  assert.match(head, /^#!\/usr\/bin\/env -S deno run --quiet --allow-net /);
  assert.ok(!app.dir.startsWith(ROOT) && !app.sandbox.startsWith(ROOT), "runs outside the tree");

  const help = await run(app, ["--help"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: fast-intercom-mcp /);
  for (const command of ["init", "sync", "status", "demo", "simulate", "logs", "debug", "start"]) {
    assert.match(help.stdout, new RegExp(`\\n  ${command}\\b`), `--help lists ${command}`);
  }
  const version = await run(app, ["--version"]);
  assert.equal(version.stdout.trim(), VERSION, "the version comes from deno.json, embedded");

  const demo = await run(app, ["demo", "--conversations", "120", "--days", "10", "--json"]);
  assert.equal(demo.code, 0, demo.stderr);
  const result = JSON.parse(demo.stdout);
  assert.equal(result.sync.status, "completed");
  assert.equal(result.sync.conversations_fetched, 120);
  assert.equal(result.status.conversations, 120);
});

Deno.test("the bundle syncs from its own simulator and serves MCP over stdio to the SDK client", async () => {
  await using app = await install();
  const sim = await simulate(app, 60);
  try {
    assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const env = { ...app.env, FASTINTERCOM_API_URL: sim.url, INTERCOM_ACCESS_TOKEN: TOKEN };
    const withEnv = { ...app, env };
    const init = await run(withEnv, ["init"]);
    assert.equal(init.code, 0, init.stderr);
    const sync = await run(withEnv, ["sync", "--all", "--json"]);
    assert.equal(sync.code, 0, sync.stderr);
    assert.equal(JSON.parse(sync.stdout).conversations_fetched, 60);

    const transport = new StdioClientTransport({
      command: Deno.execPath(),
      args: app.runArgs(["start"]),
      cwd: app.dir,
      env: {
        ...env,
        FASTINTERCOM_BACKGROUND_SYNC_INTERVAL_MINUTES: "0",
        FASTINTERCOM_MAX_SYNC_AGE_MINUTES: "0",
      },
      stderr: "ignore",
    });
    const client = new Client({ name: "bundle-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name), [...TOOL_NAMES]);
      const search = await client.callTool({
        name: "search_conversations",
        arguments: { limit: 5 },
      }) as CallToolResult;
      assert.notEqual(search.isError, true);
      const data = search.structuredContent as { total: number; conversations: { id: string }[] };
      assert.equal(data.total, 60);
      const first = data.conversations[0]!.id;
      const thread = await client.callTool({
        name: "get_conversation",
        arguments: { conversation_id: first },
      }) as CallToolResult;
      assert.equal(
        (thread.structuredContent as { conversation: { id: string } }).conversation.id,
        first,
      );
    } finally {
      await client.close();
    }
  } finally {
    await sim.stop();
  }
});

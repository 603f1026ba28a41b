/**
 * A client we did not write: the MCP Inspector's CLI mode (from npm, through npx) lists and
 * calls the tools, configured the way Claude Desktop is (an `mcpServers` entry).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { childEnv, cliInvocation, syncedFixture } from "./_fixtures.ts";
import { TOOL_NAMES } from "../../lib/mcp/tool_table.ts";

async function npxAvailable(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("npx", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

const HAS_NPX = await npxAvailable();
const INSPECTOR = "@modelcontextprotocol/inspector";

async function inspect(config: string, args: string[]): Promise<unknown> {
  const env = childEnv({});
  const home = Deno.env.get("HOME");
  if (home) env.HOME = home; // npx keeps its package cache under HOME
  // npm needs the machine's own trust store and proxy to fetch the Inspector the first time
  for (const name of ["NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "HTTPS_PROXY", "https_proxy"]) {
    const value = Deno.env.get(name);
    if (value) env[name] = value;
  }
  const output = await new Deno.Command("npx", {
    args: ["-y", INSPECTOR, "--cli", "--config", config, "--server", "intercom", ...args],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(120_000),
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `inspector failed:\n${stderr}\n${stdout}`);
  return JSON.parse(stdout);
}

Deno.test({
  name: "the MCP Inspector CLI lists and calls the tools over stdio",
  ignore: !HAS_NPX,
  // reason when ignored: npx (Node.js) is not installed, so the Inspector cannot be fetched
  async fn() {
    await using fx = await syncedFixture({ conversations: 30, seed: 6 });
    const config = join(fx.box.dir, "claude_desktop_config.json");
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        mcpServers: {
          intercom: {
            ...cliInvocation(["start"]),
            env: {
              ...childEnv({}),
              FASTINTERCOM_DATA_DIR: fx.env.FASTINTERCOM_DATA_DIR!,
              FASTINTERCOM_STATUS_DIR: fx.env.FASTINTERCOM_STATUS_DIR!,
              FASTINTERCOM_API_URL: fx.env.FASTINTERCOM_API_URL!,
              INTERCOM_ACCESS_TOKEN: fx.env.INTERCOM_ACCESS_TOKEN!,
              FASTINTERCOM_BACKGROUND_SYNC_INTERVAL_MINUTES: "0",
              FASTINTERCOM_MAX_SYNC_AGE_MINUTES: "0",
            },
          },
        },
      }),
    );
    const listed = await inspect(config, ["--method", "tools/list"]) as {
      tools: { name: string }[];
    };
    assert.ok(listed.tools.some((t) => t.name === "search_conversations"));
    assert.deepEqual(listed.tools.map((t) => t.name), [...TOOL_NAMES]);

    const id = fx.store.searchConversations({ limit: 1 }).hits[0]!.id;
    const called = await inspect(config, [
      "--method",
      "tools/call",
      "--tool-name",
      "get_conversation",
      "--tool-arg",
      `conversation_id=${id}`,
      "--tool-arg",
      "max_parts=3",
    ]) as { structuredContent: { conversation: { id: string }; returned_messages: number } };
    assert.equal(called.structuredContent.conversation.id, id);
    assert.ok(called.structuredContent.returned_messages <= 3);
  },
});

if (!HAS_NPX) {
  Deno.test({
    name: "the MCP Inspector test is skipped: npx (Node.js) is not installed",
    ignore: true,
    fn() {},
  });
}

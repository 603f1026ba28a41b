/**
 * A client we did not write: the official MCP conformance suite, against `serve`, with the
 * expected-failures baseline (scenarios for features this server does not offer). Needs npm
 * (the suite and a Node.js 22 come from it, cached); skipped with the reason otherwise.
 */
import assert from "node:assert/strict";
import { conformanceTools, runConformance } from "../../scripts/conformance.ts";
import { LineSplitStream } from "../../lib/util/lines.ts";
import { cliCommand, makeSandbox } from "../_fixtures/cli.ts";
import { firstLine } from "./_raw_client.ts";

const tools = await conformanceTools();
const NAME = "serve passes the MCP conformance suite, but for the baseline's unoffered features";

Deno.test({
  name: typeof tools === "string" ? `${NAME} (skipped: ${tools})` : NAME,
  ignore: typeof tools === "string",
  async fn() {
    if (typeof tools === "string") return;
    await using box = await makeSandbox();
    const child = cliCommand(["serve", "--port", "0", "--sync-interval", "0"], { env: box.env })
      .spawn();
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new LineSplitStream(),
    );
    const stderr = new Response(child.stderr).text();
    try {
      const first = await firstLine(lines);
      const url = /(http:\/\/\S+\/mcp)/.exec(first)?.[1];
      assert.ok(url, first);
      const result = await runConformance(tools, url);
      assert.ok(result.ok, result.output);
      assert.ok(
        result.summary.some((l) => /✓ tools-list: \d+ passed, 0 failed/.test(l)),
        result.summary.join("\n"),
      );
      assert.ok(result.summary.some((l) => /✓ logging-set-level/.test(l)));
      assert.ok(result.summary.some((l) => /✓ resources-list/.test(l)));
    } finally {
      child.kill("SIGTERM");
      await lines.cancel().catch(() => {});
      await child.status;
      await stderr;
    }
  },
});

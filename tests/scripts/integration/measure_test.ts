import assert from "node:assert/strict";
import { measureCommand } from "../../../scripts/integration/measure.ts";

Deno.test("measureCommand() returns the exit code, wall time and peak memory of a command", async () => {
  const script = "const a = new Uint8Array(64 * 1024 * 1024).fill(1); " +
    "await new Promise((r) => setTimeout(r, 300)); Deno.exit(a[7] === 1 ? 3 : 0);";
  const result = await measureCommand([Deno.execPath(), "eval", script], { intervalMs: 20 });
  assert.equal(result.code, 3);
  assert.ok(result.wall_seconds >= 0.3, `wall ${result.wall_seconds}`);
  assert.ok(result.peak_rss_bytes > 64 * 1024 * 1024, `peak ${result.peak_rss_bytes}`);
});

Deno.test("measureCommand() rejects an empty command", async () => {
  await assert.rejects(() => measureCommand([]), /no command given/);
});

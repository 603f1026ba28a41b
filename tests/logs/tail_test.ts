import assert from "node:assert/strict";
import { join } from "node:path";
import type { LogEntry } from "../../lib/logs/entry.ts";
import { buildLogFilter } from "../../lib/logs/filter.ts";
import { followLogs, lineMatcher, showLogs } from "../../lib/logs/tail.ts";

function line(i: number, level = "info", component = "sync"): string {
  return JSON.stringify({
    timestamp: new Date(Date.UTC(2026, 6, 1) + i * 1000).toISOString(),
    level,
    component,
    message: `line ${i}`,
  }) + "\n";
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("showLogs() prints the last N lines, then new ones, without a gap or a repeat", async () => {
  const dir = await Deno.makeTempDir({ prefix: "log-tail-" });
  const controller = new AbortController();
  try {
    const path = join(dir, "main.log");
    await Deno.writeTextFile(path, [1, 2, 3, 4].map((i) => line(i)).join(""));
    const shown: string[] = [];
    const done = showLogs(dir, buildLogFilter({ level: "info" }), {
      lines: 2,
      follow: true,
      signal: controller.signal,
      onEntries: (entries: LogEntry[]) => shown.push(...entries.map((e) => e.message)),
    });
    await wait(80);
    await Deno.writeTextFile(path, line(5) + line(6, "debug") + line(7), { append: true });
    for (let i = 0; i < 100 && shown.length < 4; i++) await wait(10);
    controller.abort();
    assert.equal(await done, 4);
    assert.deepEqual(shown, ["line 3", "line 4", "line 5", "line 7"]);
  } finally {
    controller.abort();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("showLogs() without follow returns after the tail", async () => {
  const dir = await Deno.makeTempDir({ prefix: "log-tail-" });
  try {
    await Deno.writeTextFile(join(dir, "main.log"), [1, 2, 3].map((i) => line(i)).join(""));
    const shown: string[] = [];
    const count = await showLogs(dir, buildLogFilter({}), {
      lines: 50,
      onEntries: (entries) => shown.push(...entries.map((e) => e.message)),
    });
    assert.equal(count, 3);
    assert.deepEqual(shown, ["line 1", "line 2", "line 3"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("followLogs() follows errors.log for error filters and applies the filter", async () => {
  const dir = await Deno.makeTempDir({ prefix: "log-tail-" });
  const controller = new AbortController();
  try {
    await Deno.writeTextFile(join(dir, "main.log"), "");
    await Deno.writeTextFile(join(dir, "errors.log"), "");
    const filter = buildLogFilter({ level: "error", component: ["api"] });
    const gen = followLogs(dir, filter, { signal: controller.signal });
    const next = gen.next();
    await wait(50);
    await Deno.writeTextFile(join(dir, "main.log"), line(1, "error", "api"), { append: true });
    await Deno.writeTextFile(
      join(dir, "errors.log"),
      line(2, "error", "sync") + line(3, "error", "api"),
      { append: true },
    );
    const batch = await next;
    assert.deepEqual((batch.value ?? []).map((e: LogEntry) => e.message), ["line 3"]);
    controller.abort();
    await gen.return(undefined);
  } finally {
    controller.abort();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lineMatcher() parses and filters single raw lines", () => {
  const match = lineMatcher(buildLogFilter({ level: "warning" }));
  assert.equal(match(line(1, "info")), null);
  assert.equal(match(line(2, "warning"))?.message, "line 2");
  assert.equal(match("not json"), null);
});

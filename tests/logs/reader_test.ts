import assert from "node:assert/strict";
import { join } from "node:path";
import { buildLogFilter } from "../../lib/logs/filter.ts";
import type { LogEntry } from "../../lib/logs/entry.ts";
import {
  primaryFamily,
  readLogs,
  readLogsBackward,
  type ReadLogsOptions,
  snapshotLogDir,
  tailLogs,
} from "../../lib/logs/reader.ts";
import { withTempDir } from "../_fixtures/fs.ts";
import { makeTrickyLogDir } from "../_fixtures/tricky_logs.ts";

const BASE = Date.UTC(2026, 6, 1, 12);
const NOW = BASE + 400_000;
const iso = (t: number) => new Date(BASE + t * 1000).toISOString();

/** Line `t`: sync every 3rd second, error every 10th, warning every 5th, else info. */
function line(t: number): string {
  const level = t % 10 === 0 ? "error" : t % 5 === 0 ? "warning" : "info";
  return JSON.stringify({
    timestamp: iso(t),
    level,
    component: t % 3 === 0 ? "sync" : "api",
    message: `event ${t}`,
    session_id: `sess-${Math.floor(t / 100)}`,
    pid: 7,
  });
}
const isSync = (t: number) => t % 3 === 0;
const isError = (t: number) => t % 10 === 0;

/**
 * main.log keeps t ≥ 100 (in .2, .1 and the live file), sync.log keeps sync lines t ≥ 50,
 * errors.log keeps every error since t = 0 (its rotation reaches further back).
 */
async function makeLogDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "log-reader-" });
  const write = (name: string, ts: number[]) =>
    Deno.writeTextFile(join(dir, name), ts.map((t) => line(t) + "\n").join(""));
  const range = (from: number, to: number, keep: (t: number) => boolean = () => true) =>
    Array.from({ length: to - from }, (_, i) => from + i).filter(keep);
  await write("main.log.2", range(100, 200));
  await write("main.log.1", range(200, 300));
  await write("main.log", range(300, 400));
  await write("sync.log.1", range(50, 250, isSync));
  await write("sync.log", range(250, 400, isSync));
  await write("errors.log.1", range(0, 250, isError));
  await write("errors.log", range(250, 400, isError));
  await Deno.writeTextFile(join(dir, "progress.jsonl"), "{}\n"); // not a log family
  return dir;
}

async function times(gen: AsyncGenerator<LogEntry[]>): Promise<number[]> {
  const out: number[] = [];
  for await (const batch of gen) {
    for (const e of batch) out.push((Date.parse(e.timestamp) - BASE) / 1000);
  }
  return out;
}

const all = Array.from({ length: 400 }, (_, t) => t);
const present = (t: number) => t >= 100 || (t >= 50 && isSync(t)) || isError(t);

Deno.test("readLogs() reads every family in time order, each line once", async () => {
  const dir = await makeLogDir();
  try {
    const got = await times(readLogs(dir, buildLogFilter({}, { now: NOW })));
    assert.deepEqual(got, all.filter(present));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLogs() reads errors from errors.log, back beyond main.log's rotation", async () => {
  const dir = await makeLogDir();
  try {
    const filter = buildLogFilter({ level: "ERROR" }, { now: NOW });
    assert.equal(primaryFamily(filter), "errors");
    assert.deepEqual(await times(readLogs(dir, filter)), all.filter(isError));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLogs() reads --component sync from sync.log, and older sync errors", async () => {
  const dir = await makeLogDir();
  try {
    const filter = buildLogFilter({ component: ["sync"] }, { now: NOW });
    assert.equal(primaryFamily(filter), "sync");
    const expected = all.filter((t) => isSync(t) && (t >= 50 || isError(t)));
    assert.deepEqual(await times(readLogs(dir, filter)), expected);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLogs() honours --since and --until at their boundaries", async () => {
  const dir = await makeLogDir();
  try {
    const cases: [Record<string, string>, (t: number) => boolean][] = [
      [{ since: iso(250) }, (t) => t >= 250],
      [{ since: iso(250), until: iso(260) }, (t) => t >= 250 && t <= 260],
      [
        { since: iso(120), level: "warning..warning" },
        (t) => t >= 120 && t % 5 === 0 && !isError(t),
      ],
      [{ until: iso(60) }, (t) => t <= 60],
      [{ since: iso(399) }, (t) => t === 399],
      [{ since: "2026-07-02" }, () => false],
    ];
    for (const [flags, keep] of cases) {
      const got = await times(readLogs(dir, buildLogFilter(flags, { now: NOW })));
      assert.deepEqual(got, all.filter((t) => present(t) && keep(t)), JSON.stringify(flags));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLogsBackward() yields the same lines newest first", async () => {
  const dir = await makeLogDir();
  try {
    for (const flags of [{}, { level: "error" }, { component: ["sync"] }, { since: iso(150) }]) {
      const filter = buildLogFilter(flags, { now: NOW });
      const forward = await times(readLogs(dir, filter));
      const backward = await times(readLogsBackward(dir, filter));
      assert.deepEqual(backward, [...forward].reverse(), JSON.stringify(flags));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tailLogs() returns the last N matching lines oldest first", async () => {
  const dir = await makeLogDir();
  try {
    const last = await tailLogs(dir, buildLogFilter({ filter: ["event 3\\d5"] }, { now: NOW }), {
      count: 3,
    });
    assert.deepEqual(last.map((e) => e.message), ["event 375", "event 385", "event 395"]);
    const filter = buildLogFilter({ level: "error", until: iso(30) }, { now: NOW });
    assert.deepEqual(
      (await tailLogs(dir, filter, { count: 10 })).map((e) => e.message),
      ["event 0", "event 10", "event 20", "event 30"],
    );
    assert.deepEqual(await tailLogs(dir, buildLogFilter({}, { now: NOW }), { count: 0 }), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLogs() and snapshotLogDir() cope with a missing log directory", async () => {
  const missing = join(await Deno.makeTempDir(), "nope");
  try {
    assert.deepEqual((await snapshotLogDir(missing)).families, { main: [], sync: [], errors: [] });
    assert.deepEqual(await times(readLogs(missing, buildLogFilter({}, { now: NOW }))), []);
  } finally {
    await Deno.remove(join(missing, ".."), { recursive: true });
  }
});

Deno.test("readLogs() keeps the order of lines from several processes sharing a file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "log-reader-" });
  try {
    // two processes: their lines are appended a little out of order
    const order = [0, 2, 1, 3, 5, 4, 6];
    await Deno.writeTextFile(join(dir, "main.log"), order.map((t) => line(t) + "\n").join(""));
    const filter = buildLogFilter({ since: iso(2) }, { now: NOW });
    assert.deepEqual(await times(readLogs(dir, filter)), [2, 3, 5, 4, 6]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLogs() with --since skips older rotated files and seeks into the live one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "log-reader-" });
  try {
    const lines = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => line(from + i) + "\n").join("");
    await Deno.writeTextFile(join(dir, "main.log.2"), lines(0, 3000));
    await Deno.writeTextFile(join(dir, "main.log.1"), lines(3000, 6000));
    await Deno.writeTextFile(join(dir, "main.log"), lines(6000, 9000));
    const stats = { scanned: [] as { path: string; start: number; end: number }[] };
    const filter = buildLogFilter({ since: iso(8500) }, { now: BASE + 9_000_000 });
    const got = await times(readLogs(dir, filter, { stats }));
    assert.deepEqual(got, Array.from({ length: 500 }, (_, i) => 8500 + i));
    assert.equal(stats.scanned.length, 1, "rotated files are skipped wholesale");
    const [scan] = stats.scanned;
    assert.equal(scan?.path, join(dir, "main.log"));
    assert.ok(scan!.end - scan!.start < scan!.end / 3, `scanned ${scan!.start}..${scan!.end}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLogs() keeps the same lines whether the raw prefilter applies or not", async () => {
  const dir = await makeLogDir();
  try {
    const pairs: [Record<string, unknown>, Record<string, unknown>][] = [
      // a plain string is searched in the raw chunk; the same as a regex is not
      [{ filter: ["event 3"] }, { filter: ["event [3]"] }],
      [{ filter: ["event 12|event 31"], since: iso(150) }, {
        filter: ["event (12|31)"],
        since: iso(150),
      }],
      [{ session: "sess-2" }, { filter: ["event 2\\d\\d"] }],
      // a regex's plain prefix is searched for; with a group first it cannot be
      [{ filter: ["event 3\\d5"] }, { filter: ["(event) 3\\d5"] }],
    ];
    for (const [fast, slow] of pairs) {
      const a = await times(readLogs(dir, buildLogFilter(fast, { now: NOW })));
      const b = await times(readLogs(dir, buildLogFilter(slow, { now: NOW })));
      assert.ok(a.length > 0, JSON.stringify(fast));
      assert.deepEqual(a, b, JSON.stringify(fast));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLogs() reads gzipped archives transparently and skips them unopened by --since", async () => {
  const dir = await makeLogDir();
  try {
    const flagsList: Record<string, unknown>[] = [
      {},
      { level: "error" },
      { filter: ["event 1"] },
      { since: iso(120), level: "warning..warning" },
      { until: iso(150) },
    ];
    const before = [];
    for (const flags of flagsList) {
      before.push(await times(readLogs(dir, buildLogFilter(flags, { now: NOW }))));
    }
    const backBefore = await times(readLogsBackward(dir, buildLogFilter({}, { now: NOW })));
    const { archiveRotatedLogs } = await import("../../lib/logging/log_archive.ts");
    const done = await archiveRotatedLogs(dir, { minAgeMs: 0 });
    assert.equal(done.compressed.length, 4, "main.log.2, main.log.1, sync.log.1, errors.log.1");
    const snapshot = await snapshotLogDir(dir);
    assert.deepEqual(snapshot.families.main.map((f) => f.compressed === true), [true, true, false]);
    for (const [i, flags] of flagsList.entries()) {
      const after = await times(readLogs(dir, buildLogFilter(flags, { now: NOW })));
      assert.deepEqual(after, before[i], JSON.stringify(flags));
    }
    assert.deepEqual(
      await times(readLogsBackward(dir, buildLogFilter({}, { now: NOW }))),
      backBefore,
    );
    const stats = { scanned: [] as { path: string; start: number; end: number }[] };
    const recent = await times(
      readLogs(dir, buildLogFilter({ since: iso(320) }, { now: NOW }), { stats }),
    );
    assert.equal(recent[0], 320);
    assert.ok(
      stats.scanned.every((r) => !r.path.endsWith(".gz")),
      `no archive is opened for the last lines: ${JSON.stringify(stats.scanned)}`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLogs() gives the same entries with and without the raw prefilter, on tricky logs", async () => {
  await withTempDir("log-reader-tricky-", async (dir) => {
    const logs = await makeTrickyLogDir(dir);
    const at = (fraction: number) => {
      const [a, b] = [Date.parse(logs.startIso), Date.parse(logs.endIso)];
      return new Date(a + (b - a) * fraction).toISOString();
    };
    const cases: Parameters<typeof buildLogFilter>[0][] = [
      {},
      { level: "error" },
      { level: "warning..warning" },
      { level: "info" },
      { level: "..debug" },
      { component: ["sync"] },
      { component: ["api", "kafka"] },
      { component: ["sync"], level: "info" },
      { filter: ["Retrying GET"] },
      { filter: ["caf\u00e9 \u2014"] },
      { filter: ["HTTP 5\\d\\d"] },
      { filter: ["Retrying GET|database is locked"], level: "warning" },
      { session: logs.sessionId },
      { process: logs.processId },
      { since: at(0.2), until: at(0.5) },
      { since: at(0.5), level: "error" },
      { until: at(0.8), component: ["api"] },
      { since: at(0.7), filter: ["Retrying GET"] },
    ];
    const read = async (flags: (typeof cases)[number], options: ReadLogsOptions) => {
      const out: LogEntry[] = [];
      const filter = buildLogFilter(flags, { now: Date.parse(logs.endIso) });
      for await (const batch of readLogs(dir, filter, options)) out.push(...batch);
      return out;
    };
    let total = 0;
    for (const flags of cases) {
      const plain = await read(flags, { rawPrefilter: false });
      total += plain.length;
      for (const chunkSize of [997, 1 << 16, undefined]) {
        const fast = await read(flags, chunkSize === undefined ? {} : { chunkSize });
        assert.deepEqual(fast, plain, `${JSON.stringify(flags)}, chunks of ${chunkSize}`);
      }
    }
    // not vacuous: the cases matched lines, odd ones among them
    const all = await read({}, {});
    assert.ok(total > 2000, `only ${total} entries`);
    assert.ok(all.some((e) => e.raw.startsWith('{"level"')), "a line with its keys reordered");
    assert.ok(all.some((e) => e.component === "\u212aafka"));
    assert.ok(all.some((e) => e.message.includes("\ud83d\ude00")));
  });
});

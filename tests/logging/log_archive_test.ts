import assert from "node:assert/strict";
import { join } from "node:path";
import { archiveRotatedLogs, archiveStamp, stampIso } from "../../lib/logging/log_archive.ts";
import { readGzip } from "../../lib/logs/compressed.ts";
import { withTempDir } from "../_fixtures/fs.ts";

const NOW = Date.parse("2026-07-01T12:00:00.000Z");
const line = (iso: string, message: string) =>
  JSON.stringify({ timestamp: iso, level: "info", component: "sync", message }) + "\n";

async function writeOld(path: string, text: string, ageMs: number) {
  await Deno.writeTextFile(path, text);
  const t = new Date(NOW - ageMs);
  await Deno.utime(path, t, t);
}

Deno.test("archiveStamp() and stampIso() round-trip a timestamp", () => {
  assert.equal(archiveStamp("2026-12-05T06:15:01.123Z"), "20261205T061501123Z");
  assert.equal(stampIso("20261205T061501123Z"), "2026-12-05T06:15:01.123Z");
});

Deno.test("archiveRotatedLogs() gzips rotated files old enough, named by their first line", async () => {
  await withTempDir("archive-", async (dir) => {
    const old = line("2026-07-01T10:00:00.000Z", "a") + line("2026-07-01T10:30:00.000Z", "b");
    await writeOld(join(dir, "main.log.2"), old, 3_600_000);
    await writeOld(join(dir, "main.log.1"), line("2026-07-01T11:59:50.000Z", "c"), 5_000);
    await writeOld(join(dir, "main.log"), line("2026-07-01T11:59:59.000Z", "d"), 0);
    const result = await archiveRotatedLogs(dir, { clock: () => NOW });
    assert.deepEqual(result, { compressed: ["main.20260701T100000000Z.log.gz"], removed: [] });
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, ["main.20260701T100000000Z.log.gz", "main.log", "main.log.1"]);
    const back = new TextDecoder().decode(await readGzip(join(dir, names[0]!)));
    assert.equal(back, old);
    const info = Deno.statSync(join(dir, names[0]!));
    assert.equal(info.mtime?.getTime(), NOW - 3_600_000, "the archive keeps the rotation time");
    assert.equal(info.mode! & 0o777, 0o600);
  });
});

Deno.test("archiveRotatedLogs() keeps archives by count and by age", async () => {
  await withTempDir("archive-", async (dir) => {
    for (let h = 1; h <= 5; h++) {
      const iso = new Date(NOW - h * 3_600_000).toISOString();
      await writeOld(join(dir, `sync.log.${h}`), line(iso, `h${h}`), h * 86_400_000);
    }
    const result = await archiveRotatedLogs(dir, { clock: () => NOW, maxFiles: 3, maxDays: 4 });
    assert.equal(result.compressed.length, 5);
    // the 4 newest by name survive the count … minus the one older than 4 days
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
      [
        "sync.20260701T090000000Z.log.gz",
        "sync.20260701T100000000Z.log.gz",
        "sync.20260701T110000000Z.log.gz",
      ],
    );
    assert.equal(result.removed.length, 2);
  });
});

Deno.test("archiveRotatedLogs() in two processes at once compresses each file once", async () => {
  await withTempDir("archive-", async (dir) => {
    for (let i = 1; i <= 4; i++) {
      const iso = new Date(NOW - i * 60_000).toISOString();
      await writeOld(join(dir, `errors.log.${i}`), line(iso, `e${i}`).repeat(500), 60_000);
    }
    const [a, b] = await Promise.all([
      archiveRotatedLogs(dir, { clock: () => NOW }),
      archiveRotatedLogs(dir, { clock: () => NOW }),
    ]);
    assert.equal(a.compressed.length + b.compressed.length, 4);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.equal(names.length, 4);
    assert.ok(names.every((n) => /^errors\.\d{8}T\d{9}Z\.log\.gz$/.test(n)));
  });
});

Deno.test("archiveRotatedLogs() on a missing directory does nothing", async () => {
  assert.deepEqual(await archiveRotatedLogs("/nonexistent/fim-logs"), {
    compressed: [],
    removed: [],
  });
});

Deno.test("archiveRotatedLogs() archives rotated progress.jsonl as progress.<time>.jsonl.gz", async () => {
  await withTempDir("archive-", async (dir) => {
    const event = JSON.stringify({ timestamp: "2026-07-01T09:00:00.000Z", type: "progress" }) +
      "\n";
    await writeOld(join(dir, "progress.jsonl.1"), event, 120_000);
    await writeOld(join(dir, "progress.jsonl"), event, 0);
    const result = await archiveRotatedLogs(dir, { clock: () => NOW });
    assert.deepEqual(result.compressed, ["progress.20260701T090000000Z.jsonl.gz"]);
    assert.equal(
      new TextDecoder().decode(await readGzip(join(dir, result.compressed[0]!))),
      event,
    );
  });
});

import assert from "node:assert/strict";
import { formatMonitorSnapshot, processLines } from "../../lib/monitor/format.ts";
import { displayWidth } from "../../lib/monitor/fit.ts";
import { stripColors } from "../../lib/util/ansi.ts";
import {
  type MonitorSnapshot,
  type ProcessSnapshot,
  settleProcess,
} from "../../lib/monitor/snapshot.ts";
import { countsJson, zeroCounts } from "../../lib/sync/run_record.ts";

const PROCESS: ProcessSnapshot = {
  process_id: "sync-20260701-153022-abc123",
  process_type: "sync",
  status: "running",
  alert: null,
  description: "Incremental sync",
  pid: 4242,
  current: 420,
  total: 1000,
  percentage: 42,
  rate: 12.34,
  eta_seconds: 47,
  message: "page 3",
  started_at: "2026-07-01T15:30:22.000Z",
  last_heartbeat: "2026-07-01T15:30:44.000Z",
  heartbeat_age_seconds: 1,
  progress_age_seconds: 1,
  no_progress: false,
};

const SNAPSHOT: MonitorSnapshot = {
  generated_at: "2026-07-01T15:30:45.123Z",
  connection: {
    state: "connected",
    detail: "token accepted",
    api_url: "https://api.intercom.io",
    latency_ms: 182,
    checked_at: "2026-07-01T15:30:41.000Z",
    cached: true,
    workspace: { id: "abc123", name: "Acme" },
  },
  database: {
    available: true,
    state: "available",
    path: "/home/me/.fast-intercom-mcp/data.db",
    conversations: 12847,
    parts: 89234,
    contacts: 3402,
    size_bytes: 157_300_000,
    schema_version: 1,
    quarantined: 0,
    tickets: 2210,
    companies: 640,
    streams: [
      {
        stream: "companies",
        cursor: "2026-07-01T15:20:01.000Z",
        cursor_iso: "2026-07-01T15:20:01Z",
        interrupted: false,
      },
      {
        stream: "tickets",
        cursor: "2026-07-01T15:20:00.000Z",
        cursor_iso: "2026-07-01T15:20:00Z",
        interrupted: true,
      },
    ],
    error: null,
  },
  last_sync: {
    run_id: 12,
    status: "completed",
    mode: "incremental",
    started_at: "2026-07-01T15:20:00.000Z",
    finished_at: "2026-07-01T15:20:02.000Z",
    ...countsJson({ ...zeroCounts(), conversationsFetched: 35, partsUpserted: 210 }),
    error: null,
  },
  processes: [PROCESS],
  sync: { state: "running", detail: "a sync is running", unresolved_crash: null },
  errors: {
    window_seconds: 3600,
    count: 1,
    warnings: 0,
    by_category: { api: 1 },
    newest: {
      timestamp: "2026-07-01T15:29:10.000Z",
      category: "api",
      kind: "rate_limit",
      component: "sync",
      message: "sync failed: Intercom kept rate-limiting",
    },
  },
  anomalies: [],
};

Deno.test("formatMonitorSnapshot() draws the dashboard from measured values only", () => {
  assert.equal(
    formatMonitorSnapshot(SNAPSHOT, { footer: "Refreshing every 5s (Press Ctrl+C to stop)" }),
    [
      "FastIntercom MCP Monitor — 2026-07-01 15:30:45Z",
      "",
      "Connection Status",
      "─────────────────────",
      '   API Connection: ✅ Connected to "Acme" (abc123) in 182 ms (checked 2026-07-01 15:30:41Z, cached)',
      "   Database: ✅ Available (/home/me/.fast-intercom-mcp/data.db)",
      "",
      "Data Summary",
      "────────────────",
      "   Conversations: 12,847",
      "   Messages (parts): 89,234",
      "   Contacts: 3,402",
      "   Tickets: 2,210",
      "   Companies: 640",
      "   Companies synced up to: 2026-07-01 15:20:01Z",
      "   Tickets synced up to: 2026-07-01 15:20:00Z (interrupted)",
      "   Database Size: 157.3 MB",
      "",
      "⚡ Recent Activity",
      "─────────────────────",
      "   Last Sync: run 12 (incremental) completed, finished 2026-07-01 15:20:02Z: 35 conversations, 210 parts",
      "   Running: 1 process",
      "   ▶ sync-20260701-153022-abc123 (sync, pid 4242): Incremental sync",
      "     [####------] 42.0%  420/1,000  12.3/s  ETA 47s  page 3",
      "   Recent Errors: 1 in the last hour",
      "     newest 2026-07-01 15:29:10Z [api/rate_limit] sync: sync failed: Intercom kept rate-limiting",
      "",
      "Refreshing every 5s (Press Ctrl+C to stop)",
    ].join("\n"),
  );
});

Deno.test("formatMonitorSnapshot() shows the run history's anomalies after the errors", () => {
  const text = formatMonitorSnapshot({
    ...SNAPSHOT,
    anomalies: [{
      kind: "slow_run",
      detail:
        "run 12 (incremental) fetched 1.20 conversations/s; usually 9.40/s (median of 20 runs)",
      run_id: 12,
      value: 1.2,
      usual: 9.4,
    }],
  });
  assert.match(
    text,
    /rate-limiting\n {3}⚠ Anomaly \(slow_run\): run 12 \(incremental\) fetched 1\.20 conversations\/s; usually 9\.40\/s \(median of 20 runs\)$/,
  );
});

Deno.test("formatMonitorSnapshot() says plainly what is missing or failing", () => {
  const text = formatMonitorSnapshot({
    ...SNAPSHOT,
    connection: { ...SNAPSHOT.connection, state: "unreachable", detail: "unreachable: refused" },
    database: {
      ...SNAPSHOT.database,
      available: false,
      state: "missing",
      error: "no store yet: run `fast-intercom-mcp sync`",
    },
    last_sync: null,
    processes: [],
    sync: { state: "none", detail: "no sync has run yet", unresolved_crash: null },
    errors: { window_seconds: 3600, count: 0, warnings: 0, by_category: {}, newest: null },
  });
  assert.match(text, /API Connection: ❌ Unreachable: unreachable: refused/);
  assert.match(
    text,
    /Database: ⚪ No store yet \(\/home\/me\/\.fast-intercom-mcp\/data\.db\): run `fast-intercom-mcp sync`/,
  );
  assert.match(text, /No data yet\./);
  assert.match(text, /Last Sync: none yet/);
  assert.match(text, /Running: nothing/);
  assert.match(text, /Recent Errors: 0 in the last hour$/);
  assert.ok(!text.includes("\x1b["), "no escape codes without colours");
});

Deno.test("processLines() flags stalled and crashed processes loudly", () => {
  const stalled = processLines({
    ...PROCESS,
    alert: "stalled",
    status: "stalled",
    heartbeat_age_seconds: 192,
  }, false);
  assert.deepEqual(stalled, [
    "   ⚠ STALLED  sync-20260701-153022-abc123 (sync, pid 4242): Incremental sync",
    "     [####------] 42.0%  420/1,000  page 3",
    "     no heartbeat for 3m12s: stopped (SIGSTOP) or hung? `debug health` fails until it " +
    "moves again",
  ]);
  const crashed = processLines({
    ...PROCESS,
    alert: "crashed",
    status: "crashed",
    heartbeat_age_seconds: 75,
  }, false);
  assert.deepEqual(crashed, [
    "   ✖ CRASHED  sync-20260701-153022-abc123 (sync, pid 4242): Incremental sync",
    "     pid 4242 is gone; last heartbeat 1m15s ago. A new sync resumes its work.",
  ]);
  assert.ok(processLines({ ...PROCESS, alert: "crashed" }, true)[0]!.startsWith("\x1b[1;31m"));
});

Deno.test("processLines() warns when a live process has made no progress for too long", () => {
  const stuck = settleProcess({ ...PROCESS, progress_age_seconds: 103 }, 60);
  const lines = processLines(stuck, false);
  assert.deepEqual(lines.slice(1), [
    "     [####------] 42.0%  420/1,000  page 3",
    "     ⚠ no progress for 1m43s (alive: heartbeat 1s ago): retrying or waiting? " +
    "`fast-intercom-mcp logs show --follow --component sync`",
  ], "the rate and ETA measured before it stopped are not shown");
  assert.equal(processLines(PROCESS, false).length, 2, "no warning while progressing");
});

Deno.test("formatMonitorSnapshot() explains a 429 from the API check instead of alarming", () => {
  const text = formatMonitorSnapshot({
    ...SNAPSHOT,
    connection: { ...SNAPSHOT.connection, state: "rate_limited", latency_ms: null },
  });
  assert.match(
    text,
    /API Connection: ⚠️ {2}Rate limited \(429\) by https:\/\/api\.intercom\.io: reachable and the token works, but this window's request budget is spent/,
  );
});

Deno.test("formatMonitorSnapshot() calls a damaged store damaged, not empty", () => {
  const text = formatMonitorSnapshot({
    ...SNAPSHOT,
    database: {
      ...SNAPSHOT.database,
      available: false,
      state: "damaged",
      error: "the store /d/data.db is damaged: run `fast-intercom-mcp debug diagnose " +
        "--test-database` for the details; to start over, `fast-intercom-mcp reset` and sync again",
    },
    last_sync: null,
  });
  assert.match(text, /Database: ❌ Damaged: the store \/d\/data\.db is damaged: run/);
  assert.match(text, /Store damaged: no figures until it is repaired or reset/);
  assert.doesNotMatch(text, /No data yet/);
  // its runs are in the store: a sync may well have completed
  assert.match(text, /Last Sync: cannot be read \(store damaged\)/);
  assert.doesNotMatch(text, /none yet/);
  const unreadable = formatMonitorSnapshot({
    ...SNAPSHOT,
    database: { ...SNAPSHOT.database, available: false, state: "unavailable", error: "locked" },
    last_sync: null,
  });
  assert.match(unreadable, /Last Sync: cannot be read \(store unavailable, see above\)/);
  const fresh = formatMonitorSnapshot({
    ...SNAPSHOT,
    database: { ...SNAPSHOT.database, available: false, state: "missing" },
    last_sync: null,
  });
  assert.match(fresh, /Last Sync: none yet/);
});

Deno.test("formatMonitorSnapshot() says a crashed sync as status and debug health do", () => {
  const detail = "sync sync-1, pid 77, run 3 ended without finishing (killed or crashed), and no " +
    "sync has completed since: run `fast-intercom-mcp sync` (it resumes from the last saved page)";
  const text = formatMonitorSnapshot({
    ...SNAPSHOT,
    last_sync: { ...SNAPSHOT.last_sync!, status: "crashed", run_id: 3 },
    processes: [],
    sync: { state: "crashed", detail, unresolved_crash: "sync sync-1, pid 77, run 3 ended…" },
  });
  assert.match(text, /Last Sync: run 3 \(incremental\) crashed/);
  assert.ok(text.includes(`   Sync: ✖ CRASHED: ${detail}`));
  const resumed = formatMonitorSnapshot({
    ...SNAPSHOT,
    sync: {
      state: "running",
      detail: "a sync is running",
      unresolved_crash: "sync sync-1, pid 77, run 3 ended without finishing (killed or crashed)",
    },
  });
  assert.match(
    resumed,
    /Sync: running; before it, sync sync-1, pid 77, run 3 ended without finishing \(killed or crashed\): no sync has completed since/,
  );
});

Deno.test("formatMonitorSnapshot() fits an 80-column terminal: lines cut at a word, never wrapped", () => {
  const long = {
    ...SNAPSHOT,
    processes: [{
      ...PROCESS,
      description: "Resuming a full sync of every conversation (interrupted at 2026-07-01 15:02Z)",
      message: "batch 37/112: 5,422 fetched, 120 unchanged; waiting for rate limit, resets in 7s",
    }],
  };
  const text = formatMonitorSnapshot(long, { width: 80, colors: true });
  const lines = text.split("\n");
  for (const line of lines) assert.ok(displayWidth(line) <= 80, `${displayWidth(line)}: ${line}`);
  const cut = lines.filter((l) => stripColors(l).endsWith("…"));
  assert.ok(cut.length >= 2, "the long lines are cut");
  for (const line of cut) {
    const plain = stripColors(line);
    const wordBefore = plain.slice(0, -1).split(" ").at(-1)!;
    // the last word before … is whole in the full text (cut at a space)
    assert.ok(
      formatMonitorSnapshot(long).includes(`${wordBefore} `) || plain.length < 40,
      `cut mid-word: ${plain}`,
    );
  }
  assert.equal(formatMonitorSnapshot(long).split("\n").length, lines.length, "no wrapping");
});

Deno.test("processLines() shows a silent process's last figures without its stale rate, ETA or phase", () => {
  const lines = processLines({
    ...PROCESS,
    phase: "waiting for rate limit, resets in 6s",
    heartbeat_age_seconds: 30,
  }, false);
  assert.deepEqual(lines.slice(1), [
    "     [####------] 42.0%  420/1,000  page 3",
    "     ⚠ no heartbeat for 30s (live processes report every few seconds): stopped or hung?",
  ]);
  const live = processLines({ ...PROCESS, phase: "waiting for rate limit, resets in 6s" }, false);
  assert.equal(
    live[1],
    "     [####------] 42.0%  420/1,000  12.3/s  ETA 47s  waiting for rate limit, resets in 6s  page 3",
  );
});

Deno.test("formatMonitorSnapshot() counts warnings apart from errors, without guessing what they are", () => {
  const text = formatMonitorSnapshot({
    ...SNAPSHOT,
    errors: { window_seconds: 3600, count: 0, warnings: 2, by_category: {}, newest: null },
  });
  assert.match(
    text,
    /Recent Errors: 0 in the last hour and 2 warnings \(`fast-intercom-mcp logs errors --summary`\)$/m,
  );
});

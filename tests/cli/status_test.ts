import assert from "node:assert/strict";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import { isoFromSeconds } from "../../lib/util/clock.ts";
import { makeSandbox, runCli } from "../_fixtures/cli.ts";

/** A stream as `sync --json` and `status --json` give it. */
interface StreamJson {
  stream: string;
  cursor: number | null;
  cursor_iso: string | null;
  stored?: number;
  interrupted?: boolean;
}

const byName = (streams: StreamJson[], name: string) => streams.find((s) => s.stream === name)!;

for (const tz of ["UTC", "Asia/Kolkata"]) {
  Deno.test(`sync --json, status --json and monitor status --json agree on tickets, companies and every cursor (TZ=${tz})`, async () => {
    await using box = await makeSandbox({ TZ: tz });
    const sim = await startSimulator({ conversations: 40, tickets: 9, companies: 5, seed: 31 });
    try {
      const env = {
        ...box.env,
        FASTINTERCOM_API_URL: sim.url,
        INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN,
      };
      const ws = sim.workspace;
      const before = Math.floor(Date.now() / 1000);
      const run = await runCli(["sync", "--all", "--json"], { env });
      const after = Math.ceil(Date.now() / 1000);
      assert.equal(run.code, 0, run.stderr);
      const summary = JSON.parse(run.stdout);
      const tickets: StreamJson = byName(summary.streams, "tickets");
      const companies: StreamJson = byName(summary.streams, "companies");
      assert.equal(tickets.stored, ws.tickets.length);
      assert.equal(companies.stored, ws.companies.length);
      // a cursor is the run's start: after every record's update, within the run, in UTC
      const newestTicket = Math.max(...ws.tickets.map((t) => t.updated_at));
      for (const cursor of [summary.cursor, tickets.cursor, companies.cursor]) {
        assert.ok(cursor >= before && cursor <= after, `cursor ${cursor} in ${before}…${after}`);
      }
      assert.ok(tickets.cursor! >= newestTicket);
      assert.equal(summary.cursor_iso, isoFromSeconds(summary.cursor));
      assert.equal(tickets.cursor_iso, isoFromSeconds(tickets.cursor!));
      assert.equal(companies.cursor_iso, isoFromSeconds(companies.cursor!));
      assert.match(summary.cursor_iso, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

      const status = await runCli(["status", "--json"], { env });
      assert.equal(status.code, 0, status.stderr);
      const s = JSON.parse(status.stdout);
      assert.equal(s.tickets, ws.tickets.length);
      assert.equal(s.companies, ws.companies.length);
      assert.equal(s.conversations, ws.conversations.length);
      assert.equal(s.cursor, summary.cursor);
      assert.equal(s.cursor_iso, summary.cursor_iso);
      assert.deepEqual(
        s.streams.map((st: StreamJson) => [st.stream, st.cursor, st.cursor_iso, st.interrupted]),
        [companies, tickets].map((st) => [st.stream, st.cursor, st.cursor_iso, false]),
      );

      const monitor = await runCli(["monitor", "status", "--json", "--no-api"], { env });
      assert.equal(monitor.code, 0, monitor.stderr);
      const db = JSON.parse(monitor.stdout).database;
      assert.equal(db.tickets, ws.tickets.length);
      assert.equal(db.companies, ws.companies.length);
      assert.deepEqual(
        db.streams.map((st: { stream: string; cursor: string; cursor_iso: string }) => [
          st.stream,
          st.cursor,
          st.cursor_iso,
        ]),
        [companies, tickets].map((st) => [
          st.stream,
          new Date(st.cursor! * 1000).toISOString(),
          st.cursor_iso,
        ]),
      );
      // the table says the same times, in UTC whatever TZ says
      const table = await runCli(["status"], { env });
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /Tickets \(parts\)\s+│?\s*9 \(/);
      assert.match(table.stdout, new RegExp(`Tickets synced up to\\s+│ ${tickets.cursor_iso}`));
      assert.match(
        table.stdout,
        new RegExp(`Companies synced up to\\s+│ ${companies.cursor_iso}`),
      );
    } finally {
      await sim.close();
    }
  });
}

import assert from "node:assert/strict";
import { createProgram } from "../../lib/cli/program.ts";
import { syncRequestFrom } from "../../lib/cli/sync.ts";
import { UsageError } from "../../lib/errors.ts";

const NOW = Date.UTC(2026, 6, 1, 12) / 1000;

Deno.test("syncRequestFrom() turns window flags into a request", () => {
  assert.deepEqual(syncRequestFrom({}, NOW), { mode: "incremental", force: false });
  assert.deepEqual(syncRequestFrom({ days: 3, force: true }, NOW), {
    mode: "days",
    days: 3,
    force: true,
  });
  assert.deepEqual(syncRequestFrom({ since: "2026-06-30" }, NOW), {
    mode: "since",
    since: Date.UTC(2026, 5, 30) / 1000,
    force: false,
  });
  assert.deepEqual(syncRequestFrom({ all: true }, NOW), { mode: "all", force: false });
});

Deno.test("syncRequestFrom() refuses two windows, bad times and the future", () => {
  assert.throws(() => syncRequestFrom({ days: 1, all: true }, NOW), UsageError);
  assert.throws(() => syncRequestFrom({ since: "soonish" }, NOW), /cannot parse --since "soonish"/);
  assert.throws(() => syncRequestFrom({ since: "2027-01-01" }, NOW), /is in the future/);
});

Deno.test("sync --help says a sync brings tickets and companies too", () => {
  const sync = createProgram().commands.find((c) => c.name() === "sync")!;
  const help = sync.helpInformation();
  assert.match(help, /conversations \(with every reply\), tickets, companies, contacts/);
});

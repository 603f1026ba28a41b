import assert from "node:assert/strict";
import { parseLogEntry } from "../../lib/logs/entry.ts";
import {
  csvField,
  csvRow,
  entryJson,
  formatProgressEvent,
  getExportEncoder,
  getHumanFormatter,
  getNdjsonFormatter,
} from "../../lib/logs/format.ts";

const ENTRY = parseLogEntry(JSON.stringify({
  timestamp: "2026-07-01T15:30:45.123Z",
  level: "error",
  component: "sync",
  message: 'sync failed, "badly":\nsecond line',
  session_id: "sess-1",
  pid: 42,
  process_id: "sync-1",
  runId: 3,
}))!;

const INFO = parseLogEntry(
  '{"timestamp":"2026-07-01T15:30:46.000Z","level":"info","component":"api","message":"GET /me 200"}',
)!;

Deno.test("getHumanFormatter() prints time, level, component and a one-line message", () => {
  const plain = getHumanFormatter();
  assert.equal(
    plain(ENTRY),
    '2026-07-01T15:30:45.123Z ERROR   sync: sync failed, "badly":⏎ second line',
  );
  assert.equal(plain(INFO), "2026-07-01T15:30:46.000Z INFO    api: GET /me 200");
  assert.equal(
    getHumanFormatter({ colors: true })(INFO),
    "\x1b[2m2026-07-01T15:30:46.000Z\x1b[0m \x1b[32mINFO   \x1b[0m \x1b[36mapi\x1b[0m: GET /me 200",
  );
});

Deno.test("entryJson() and the NDJSON formatter keep the message apart from metadata", () => {
  assert.deepEqual(entryJson(ENTRY), {
    timestamp: "2026-07-01T15:30:45.123Z",
    level: "error",
    component: "sync",
    message: 'sync failed, "badly":\nsecond line',
    session_id: "sess-1",
    pid: 42,
    process_id: "sync-1",
    properties: { runId: 3 },
  });
  assert.equal(
    getNdjsonFormatter()(INFO),
    '{"timestamp":"2026-07-01T15:30:46.000Z","level":"info","component":"api",' +
      '"message":"GET /me 200","session_id":null,"pid":null,"process_id":null,"properties":{}}',
  );
});

Deno.test("csvField() quotes commas, quotes and line breaks (RFC 4180)", () => {
  const cases: [string, string][] = [
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\r", '"cr\r"'],
    ["", ""],
  ];
  for (const [input, expected] of cases) assert.equal(csvField(input), expected, input);
});

Deno.test("csvRow() writes every column, properties as JSON", () => {
  assert.equal(
    csvRow(ENTRY),
    '2026-07-01T15:30:45.123Z,error,sync,"sync failed, ""badly"":\nsecond line",sess-1,42,' +
      'sync-1,"{""runId"":3}"',
  );
  assert.equal(csvRow(INFO), "2026-07-01T15:30:46.000Z,info,api,GET /me 200,,,,");
});

Deno.test("getExportEncoder() produces valid documents for every format", () => {
  const encode = (format: "json" | "ndjson" | "csv" | "text", entries = [ENTRY, INFO]) => {
    const encoder = getExportEncoder(format);
    return encoder.head() + entries.map((e, i) => encoder.entry(e, i)).join("") +
      encoder.tail(entries.length);
  };
  assert.deepEqual(JSON.parse(encode("json")), [entryJson(ENTRY), entryJson(INFO)]);
  assert.equal(encode("json", []), "[]\n");
  assert.deepEqual(JSON.parse("[]"), JSON.parse(encode("json", [])));
  assert.deepEqual(
    encode("ndjson").trimEnd().split("\n").map((l) => JSON.parse(l)),
    [entryJson(ENTRY), entryJson(INFO)],
  );
  const csv = encode("csv");
  assert.ok(
    csv.startsWith("timestamp,level,component,message,session_id,pid,process_id,properties\r\n"),
  );
  assert.equal(csv.split("\r\n").length, 4, "header, two rows, final empty piece");
  assert.equal(encode("text").split("\n").length, 3);
});

Deno.test("formatProgressEvent() shows the counters of a progress event", () => {
  const event = {
    timestamp: "2026-07-01T15:30:45.123Z",
    type: "progress",
    operation: "sync",
    operation_id: "op-1",
    message: "Fetching page 3",
    current: 420,
    total: 1000,
    percentage: 42,
    rate: 12.34,
    eta_seconds: 47,
  };
  assert.equal(
    formatProgressEvent(event),
    "2026-07-01T15:30:45.123Z PROGRESS sync: 42.0%  420/1,000  12.3/s  ETA 47s  Fetching page 3",
  );
  assert.equal(
    formatProgressEvent({
      ...event,
      type: "operation_start",
      current: null,
      percentage: null,
      rate: null,
      eta_seconds: null,
      message: "Syncing",
    }),
    "2026-07-01T15:30:45.123Z PROGRESS sync: started: Syncing",
  );
});

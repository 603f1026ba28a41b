import assert from "node:assert/strict";
import { join } from "node:path";
import { exportLogs, OutputExistsError } from "../../lib/logs/export.ts";
import { ALL_LINES, buildLogFilter } from "../../lib/logs/filter.ts";
import { clearSecrets, registerSecret } from "../../lib/logging/redact.ts";
import { WriteFileError } from "../../lib/errors.ts";
import { makeReadOnly } from "../_fixtures/fs.ts";

const TRICKY = 'failed, with "quotes",\nand a second line';

async function makeLogs(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "log-export-" });
  const lines = [
    { timestamp: "2026-07-01T10:00:00.000Z", level: "info", component: "api", message: "plain" },
    {
      timestamp: "2026-07-01T10:00:01.000Z",
      level: "error",
      component: "sync",
      message: TRICKY,
      n: 1,
    },
    {
      timestamp: "2026-07-01T10:00:02.000Z",
      level: "warning",
      component: "api",
      message: "token sekrit-value-123 seen",
    },
  ];
  await Deno.writeTextFile(
    join(dir, "main.log"),
    lines.map((l) => JSON.stringify(l) + "\n").join(""),
  );
  await Deno.writeTextFile(join(dir, "errors.log"), JSON.stringify(lines[1]) + "\n");
  return dir;
}

/** A minimal RFC 4180 reader: rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += '"', i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), field = "";
    else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field), rows.push(row), row = [], field = "", i++;
    } else field += c;
  }
  return rows;
}

Deno.test("exportLogs() refuses to overwrite a file without force and leaves it untouched", async () => {
  const dir = await makeLogs();
  try {
    const output = join(dir, "out.json");
    await Deno.writeTextFile(output, "precious");
    await assert.rejects(
      () => exportLogs(dir, ALL_LINES, { format: "json", output }),
      (error: unknown) => {
        assert.ok(error instanceof OutputExistsError);
        assert.equal(error.exitCode, 1);
        assert.match(error.message, /out\.json" already exists: pass --force/);
        return true;
      },
    );
    assert.equal(await Deno.readTextFile(output), "precious");
    const result = await exportLogs(dir, ALL_LINES, { format: "json", output, force: true });
    assert.equal(result.count, 3);
    assert.equal(JSON.parse(await Deno.readTextFile(output)).length, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("exportLogs() writes the file with mode 0600 and leaves no temporary file", async () => {
  const dir = await makeLogs();
  try {
    const output = join(dir, "sub", "out.ndjson");
    const result = await exportLogs(dir, buildLogFilter({ level: "error" }), {
      format: "ndjson",
      output,
    });
    assert.equal(result.count, 1);
    assert.equal((await Deno.stat(output)).mode! & 0o777, 0o600);
    const names = [...Deno.readDirSync(join(dir, "sub"))].map((e) => e.name);
    assert.deepEqual(names, ["out.ndjson"]);
    const entry = JSON.parse((await Deno.readTextFile(output)).trim());
    assert.equal(entry.message, TRICKY);
    assert.deepEqual(entry.properties, { n: 1 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("exportLogs() names the output and its directory when it cannot write there, not the temp file", async () => {
  const dir = await makeLogs();
  try {
    const file = join(dir, "taken");
    await Deno.writeTextFile(file, "");
    const under = join(file, "out.ndjson");
    await assert.rejects(
      () => exportLogs(dir, ALL_LINES, { format: "ndjson", output: under }),
      (e: unknown) => {
        assert.ok(e instanceof WriteFileError, String(e));
        assert.equal(
          e.message,
          `cannot write ${under}: a part of ${file} is a file where a directory belongs: move ` +
            "that file away, or choose another location",
        );
        return true;
      },
    );
    const locked = join(dir, "locked");
    await Deno.mkdir(locked);
    const undo = await makeReadOnly(locked);
    if (undo === null) return; // no way to make it read-only here (see makeReadOnly)
    try {
      const output = join(locked, "out.csv");
      await assert.rejects(
        () => exportLogs(dir, ALL_LINES, { format: "csv", output }),
        (e: unknown) => {
          assert.ok(e instanceof WriteFileError, String(e));
          assert.match(e.message, new RegExp(`^cannot write ${output}: permission denied in `));
          assert.doesNotMatch(e.message, /\.tmp\b/);
          return true;
        },
      );
    } finally {
      await undo();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("exportLogs() CSV escapes commas, quotes and line breaks so the rows read back", async () => {
  const dir = await makeLogs();
  try {
    const output = join(dir, "out.csv");
    await exportLogs(dir, ALL_LINES, { format: "csv", output });
    const rows = parseCsv(await Deno.readTextFile(output));
    assert.equal(rows.length, 4);
    assert.deepEqual(rows[0], [
      "timestamp",
      "level",
      "component",
      "message",
      "session_id",
      "pid",
      "process_id",
      "properties",
    ]);
    assert.equal(rows[2]![3], TRICKY);
    assert.equal(rows[2]![7], '{"n":1}');
    assert.ok(rows.every((r) => r.length === 8));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("exportLogs() to a writer sends whole lines, redacted", async () => {
  const dir = await makeLogs();
  registerSecret("sekrit-value-123");
  try {
    const chunks: string[] = [];
    const result = await exportLogs(dir, ALL_LINES, {
      format: "text",
      write: (text) => chunks.push(text),
    });
    assert.equal(result.path, null);
    assert.ok(chunks.every((c) => c.endsWith("\n")));
    const text = chunks.join("");
    assert.ok(!text.includes("sekrit-value-123"));
    assert.match(text, /token \[REDACTED\] seen/);
    assert.equal(text.split("\n").length, 4);
  } finally {
    clearSecrets();
    await Deno.remove(dir, { recursive: true });
  }
});

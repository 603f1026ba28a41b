import assert from "node:assert/strict";
import { compactUtcStamp, getSessionId, newProcessId } from "../../lib/logging/session.ts";

const JULY_1 = Date.UTC(2026, 6, 1, 15, 30, 22, 456);

Deno.test("compactUtcStamp() formats a time as YYYYMMDD-HHMMSS in UTC", () => {
  assert.equal(compactUtcStamp(JULY_1), "20260701-153022");
  assert.equal(compactUtcStamp(Date.UTC(2026, 0, 2, 3, 4, 5)), "20260102-030405");
});

Deno.test("newProcessId() builds a readable id from the type and the UTC clock", () => {
  const id = newProcessId("sync", () => JULY_1);
  assert.match(id, /^sync-20260701-153022-[0-9a-f]{6}$/);
  assert.notEqual(newProcessId("sync", () => JULY_1), id);
});

Deno.test("newProcessId() replaces characters that do not belong in file names", () => {
  assert.match(newProcessId("sync all/../x", () => JULY_1), /^sync_all_.._x-20260701-153022-/);
  assert.match(newProcessId("", () => JULY_1), /^process-20260701-/);
});

Deno.test("getSessionId() returns FASTINTERCOM_SESSION_ID when it is set", () => {
  const saved = Deno.env.get("FASTINTERCOM_SESSION_ID");
  try {
    Deno.env.set("FASTINTERCOM_SESSION_ID", "test-session-123");
    assert.equal(getSessionId(), "test-session-123");
  } finally {
    if (saved === undefined) Deno.env.delete("FASTINTERCOM_SESSION_ID");
    else Deno.env.set("FASTINTERCOM_SESSION_ID", saved);
  }
});

Deno.test("getSessionId() generates one id per process when the variable is unset", () => {
  const saved = Deno.env.get("FASTINTERCOM_SESSION_ID");
  try {
    Deno.env.delete("FASTINTERCOM_SESSION_ID");
    const id = getSessionId();
    assert.match(id, /^sess-\d{8}-\d{6}-[0-9a-f]{6}$/);
    assert.equal(getSessionId(), id);
  } finally {
    if (saved !== undefined) Deno.env.set("FASTINTERCOM_SESSION_ID", saved);
  }
});

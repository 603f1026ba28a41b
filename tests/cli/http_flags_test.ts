import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import {
  connectionLimits,
  HEADERS_TIMEOUT,
  IDLE_TIMEOUT,
  MAX_CONNECTIONS,
} from "../../lib/cli/http_flags.ts";

Deno.test("connectionLimits() sets only the limits given, in milliseconds", () => {
  assert.deepEqual(connectionLimits({}), {});
  assert.deepEqual(connectionLimits({ maxConnections: 50, headersTimeout: 2, idleTimeout: 90 }), {
    maxConnections: 50,
    headersTimeoutMs: 2000,
    idleTimeoutMs: 90_000,
  });
});

Deno.test("the connection flags refuse zero, negatives and words with one line", () => {
  for (const [flag, , parse] of [MAX_CONNECTIONS, HEADERS_TIMEOUT, IDLE_TIMEOUT]) {
    const name = flag.split(" ")[0]!;
    for (const bad of ["0", "-1", "ten"]) {
      assert.throws(() => parse(bad), UsageError);
      assert.throws(
        () => parse(bad),
        new RegExp(`: ${name} "${bad}" is not valid: use a whole number from 1 to`),
      );
    }
  }
  assert.equal(MAX_CONNECTIONS[2]("200"), 200);
});

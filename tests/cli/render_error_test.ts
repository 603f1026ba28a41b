import assert from "node:assert/strict";
import { exitCodeOf, renderError } from "../../lib/cli/render_error.ts";
import { InterruptedError, StoreError, UsageError } from "../../lib/errors.ts";
import { clearSecrets, registerSecret } from "../../lib/logging/redact.ts";

Deno.test("renderError() is one line for our errors, with the fix they carry", () => {
  const text = renderError(new UsageError('--days "x" is not valid: use a whole number ≥ 1'));
  assert.equal(text, 'fast-intercom-mcp: --days "x" is not valid: use a whole number ≥ 1');
});

Deno.test("renderError() names unexpected errors and points to --verbose", () => {
  assert.equal(
    renderError(new TypeError("boom")),
    "fast-intercom-mcp: TypeError: boom (run with --verbose for details)",
  );
});

Deno.test("renderError() with verbose adds the stack and the cause chain, redacted", () => {
  clearSecrets();
  registerSecret("secret-token-123");
  const error = new StoreError("cannot open store", {
    cause: new Error("disk said no to secret-token-123"),
  });
  const text = renderError(error, { verbose: true });
  assert.match(text, /^fast-intercom-mcp: cannot open store\n/);
  assert.match(text, /Caused by: Error: disk said no to \[REDACTED\]/);
  assert.match(text, /at /);
  assert.ok(!text.includes("secret-token-123"));
  clearSecrets();
});

Deno.test("exitCodeOf() maps usage to 2, interruption to 130, the rest to 1", () => {
  assert.equal(exitCodeOf(new UsageError("x")), 2);
  assert.equal(exitCodeOf(new InterruptedError()), 130);
  assert.equal(exitCodeOf(new StoreError("x")), 1);
  assert.equal(exitCodeOf(new Error("x")), 1);
});

Deno.test("renderError() says what an OS error means and how to fix it, without the raw text", () => {
  const raw = new Deno.errors.AlreadyExists("File exists (os error 17): mkdir '/srv/fim/logs'");
  const text = renderError(raw);
  assert.equal(
    text,
    "fast-intercom-mcp: /srv/fim/logs is a file where a directory belongs: move it away or " +
      "choose another directory (--data-dir, FASTINTERCOM_LOG_DIR, FASTINTERCOM_STATUS_DIR)",
  );
  assert.doesNotMatch(text, /os error/);
  const verbose = renderError(raw, { verbose: true });
  assert.match(
    verbose,
    /Caused by: AlreadyExists: File exists \(os error 17\)/,
    "kept for --verbose",
  );
});

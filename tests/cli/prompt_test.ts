import assert from "node:assert/strict";
import { cleanPasted, promptSecret, type PromptTerminal } from "../../lib/cli/prompt.ts";
import { InterruptedError, UsageError } from "../../lib/errors.ts";

/** A terminal that answers reads with `chunks`, one per read, and records what was written. */
function fakeTerminal(chunks: string[], tty = true) {
  const written: string[] = [];
  const raw: boolean[] = [];
  const queue = chunks.map((c) => new TextEncoder().encode(c));
  const terminal: PromptTerminal = {
    isTerminal: () => tty,
    setRaw: (on) => void raw.push(on),
    read: (buffer) => {
      const next = queue.shift();
      if (next === undefined) return Promise.resolve(null);
      buffer.set(next);
      return Promise.resolve(next.length);
    },
    write: (bytes) => void written.push(new TextDecoder().decode(bytes)),
  };
  return { terminal, written, raw };
}

Deno.test("promptSecret() reads a line without echo, in raw mode restored afterwards", async () => {
  const t = fakeTerminal(["tok-", "123\r"]);
  assert.equal(await promptSecret("Token: ", t.terminal), "tok-123");
  assert.deepEqual(t.written, ["Token: ", "\n"], "the secret is never echoed");
  assert.deepEqual(t.raw, [true, false]);
});

Deno.test("promptSecret() trims a pasted token and drops bracketed-paste markers", async () => {
  const t = fakeTerminal(["\x1b[200~  dG9rOjEyMzQ1Njc4OTA= \t\x1b[201~\r"]);
  assert.equal(await promptSecret("Token: ", t.terminal), "dG9rOjEyMzQ1Njc4OTA=");
  assert.equal(cleanPasted(" \ttok\u0007 \n"), "tok");
});

Deno.test("promptSecret() on Ctrl-C throws InterruptedError (exit 130) and restores the terminal", async () => {
  const t = fakeTerminal(["abc", "\x03"]);
  await assert.rejects(() => promptSecret("Token: ", t.terminal), (error: unknown) => {
    assert.ok(error instanceof InterruptedError);
    assert.equal(error.exitCode, 130);
    return true;
  });
  assert.deepEqual(t.raw, [true, false]);
  assert.deepEqual(t.written, ["Token: ", "\n"]);
});

Deno.test("promptSecret() handles backspace and Ctrl-D on an empty line", async () => {
  assert.equal(await promptSecret("T: ", fakeTerminal(["abX\x7fc\n"]).terminal), "abc");
  assert.equal(await promptSecret("T: ", fakeTerminal(["\x04", "ignored\r"]).terminal), "");
});

Deno.test("promptSecret() refuses when stdin is not a terminal, naming the alternatives", async () => {
  await assert.rejects(
    () => promptSecret("T: ", fakeTerminal([], false).terminal),
    (error: unknown) =>
      error instanceof UsageError &&
      /pass --token or set INTERCOM_ACCESS_TOKEN/.test(error.message),
  );
});

import assert from "node:assert/strict";
import { ENTER_SCREEN, frameText, LEAVE_SCREEN, runLiveScreen } from "../../lib/monitor/screen.ts";
import { clearSecrets, registerSecret } from "../../lib/logging/redact.ts";

function recorder() {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  return {
    chunks,
    writer: { writeSync: (p: Uint8Array) => (chunks.push(decoder.decode(p)), p.length) },
  };
}

Deno.test("frameText() homes the cursor, clears each line's end and the rest of the screen", () => {
  assert.equal(frameText("a\nb"), "\x1b[Ha\x1b[K\nb\x1b[K\x1b[J");
});

Deno.test("runLiveScreen() redraws until aborted, then restores the terminal", async () => {
  const { chunks, writer } = recorder();
  const controller = new AbortController();
  let frames = 0;
  const sleeps: number[] = [];
  const drawn = await runLiveScreen({
    render: () => Promise.resolve(`frame ${++frames}`),
    intervalMs: 5000,
    signal: controller.signal,
    writer,
    sleep: (ms) => {
      sleeps.push(ms);
      if (sleeps.length === 3) controller.abort();
      return Promise.resolve();
    },
  });
  assert.equal(drawn, 3);
  assert.deepEqual(sleeps, [5000, 5000, 5000]);
  assert.deepEqual(chunks, [
    ENTER_SCREEN,
    frameText("frame 1"),
    frameText("frame 2"),
    frameText("frame 3"),
    LEAVE_SCREEN,
  ]);
});

Deno.test("runLiveScreen() restores the terminal when rendering fails, and redacts frames", async () => {
  const { chunks, writer } = recorder();
  registerSecret("secret-token-xyz");
  try {
    let calls = 0;
    await assert.rejects(
      runLiveScreen({
        render: () => {
          if (++calls === 2) return Promise.reject(new Error("store vanished"));
          return Promise.resolve("token secret-token-xyz");
        },
        intervalMs: 1,
        signal: new AbortController().signal,
        writer,
        sleep: () => Promise.resolve(),
      }),
      /store vanished/,
    );
    assert.equal(chunks.at(-1), LEAVE_SCREEN);
    assert.equal(chunks[1], frameText("token [REDACTED]"));
  } finally {
    clearSecrets();
  }
});

import assert from "node:assert/strict";
import {
  createTerminal,
  type TerminalOptions,
  truncateVisible,
  visibleLength,
} from "../../lib/logging/terminal.ts";

function memoryTerminal(options: Omit<TerminalOptions, "writer"> = {}) {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const writer = {
    writeSync(p: Uint8Array) {
      chunks.push(decoder.decode(p));
      return p.length;
    },
  };
  const env = (name: string) => (options.env ? options.env(name) : undefined);
  const terminal = createTerminal({ columns: () => 80, ...options, env, writer });
  return { terminal, chunks, output: () => chunks.join("") };
}

Deno.test("createTerminal() without a terminal writes plain lines and ignores the live line", () => {
  const { terminal, chunks } = memoryTerminal({ isTTY: false });
  terminal.setLiveLine("42%");
  terminal.writeLine("a log line");
  terminal.close();
  assert.deepEqual(chunks, ["a log line\n"]);
  assert.equal(terminal.isTTY, false);
  assert.equal(terminal.colors, false);
});

Deno.test("LiveTerminal.setLiveLine() redraws the line in place on a terminal", () => {
  const { terminal, chunks } = memoryTerminal({ isTTY: true });
  terminal.setLiveLine("first");
  terminal.setLiveLine("second");
  terminal.setLiveLine("second"); // unchanged: nothing written
  terminal.setLiveLine(null);
  assert.deepEqual(chunks, ["first", "\r\x1b[2Ksecond", "\r\x1b[2K"]);
});

Deno.test("LiveTerminal.writeLine() prints log lines above the live line without tearing it", () => {
  const { terminal, chunks } = memoryTerminal({ isTTY: true });
  terminal.writeLine("before any bar");
  terminal.setLiveLine("[##--] 50%");
  terminal.writeLine("INFO synced page 3");
  terminal.writeLine("WARN slow response");
  assert.deepEqual(chunks, [
    "before any bar\n",
    "[##--] 50%",
    "\r\x1b[2KINFO synced page 3\n[##--] 50%",
    "\r\x1b[2KWARN slow response\n[##--] 50%",
  ]);
});

Deno.test("LiveTerminal handles a live area of several lines", () => {
  const { terminal, chunks } = memoryTerminal({ isTTY: true });
  terminal.setLiveLine("op one\nop two");
  terminal.writeLine("log");
  terminal.setLiveLine("op two");
  assert.deepEqual(chunks, [
    "op one\nop two",
    "\r\x1b[2K\x1b[1A\x1b[2Klog\nop one\nop two",
    "\r\x1b[2K\x1b[1A\x1b[2Kop two",
  ]);
});

Deno.test("LiveTerminal.close() clears the live line once and is safe twice", () => {
  const { terminal, chunks } = memoryTerminal({ isTTY: true });
  terminal.setLiveLine("bar");
  terminal.close();
  terminal.close();
  terminal.writeLine("after");
  assert.deepEqual(chunks, ["bar", "\r\x1b[2K", "after\n"]);
});

Deno.test("LiveTerminal.setLiveLine() truncates to the terminal width", () => {
  const { terminal, chunks } = memoryTerminal({ isTTY: true, columns: () => 20 });
  terminal.setLiveLine("0123456789abcdefghijklmnop");
  assert.deepEqual(chunks, ["0123456789abcdefgh…"]); // 19 columns: the last one would wrap
});

Deno.test("createTerminal() disables colours with NO_COLOR and redraws with TERM=dumb", () => {
  const noColor = memoryTerminal({ isTTY: true, env: (n) => (n === "NO_COLOR" ? "1" : undefined) });
  assert.equal(noColor.terminal.isTTY, true);
  assert.equal(noColor.terminal.colors, false);
  const emptyNoColor = memoryTerminal({
    isTTY: true,
    env: (n) => (n === "NO_COLOR" ? "" : undefined),
  });
  assert.equal(emptyNoColor.terminal.colors, true);
  const dumb = memoryTerminal({ isTTY: true, env: (n) => (n === "TERM" ? "dumb" : undefined) });
  assert.equal(dumb.terminal.isTTY, false);
  assert.equal(dumb.terminal.colors, false);
  dumb.terminal.setLiveLine("bar");
  dumb.terminal.writeLine("line");
  assert.equal(dumb.output(), "line\n");
});

Deno.test("truncateVisible() does not count ANSI colour codes and resets colour when cutting", () => {
  const green = "\x1b[32m####\x1b[0m------";
  assert.equal(visibleLength(green), 10);
  assert.equal(truncateVisible(green, 10), green);
  assert.equal(truncateVisible(green, 6), "\x1b[32m####\x1b[0m-…\x1b[0m");
  assert.equal(truncateVisible("abcdef", 4), "abc…");
  assert.equal(truncateVisible("héllo wörld", 5), "héll…");
});

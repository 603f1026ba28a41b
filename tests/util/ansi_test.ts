import assert from "node:assert/strict";
import { paint, stripColors } from "../../lib/util/ansi.ts";

Deno.test("paint() wraps text in the style's SGR code and a full reset, or leaves it plain", () => {
  assert.equal(paint("ok", "green"), "\x1b[32mok\x1b[0m");
  assert.equal(paint("CRASHED", "boldRed"), "\x1b[1;31mCRASHED\x1b[0m");
  assert.equal(paint("ok", "green", false), "ok");
});

Deno.test("stripColors() removes every SGR code and nothing else", () => {
  assert.equal(stripColors(`${paint("a", "dim")} [${paint("b", "cyan")}]`), "a [b]");
  assert.equal(stripColors("no codes: ESC[2K stays"), "no codes: ESC[2K stays");
});

import assert from "node:assert/strict";
import { displayWidth, fitLine, fitText } from "../../lib/monitor/fit.ts";

Deno.test("displayWidth() counts columns: colour codes none, emoji two", () => {
  assert.equal(displayWidth("abc"), 3);
  assert.equal(displayWidth("\x1b[1;31mabc\x1b[0m"), 3);
  assert.equal(displayWidth("✅ ok"), 5);
  assert.equal(displayWidth("⚠️  x"), 5, "⚠ with the emoji selector is drawn wide");
  assert.equal(displayWidth("⚠ x"), 3);
});

Deno.test("fitLine() cuts at the last word that fits and ends with …", () => {
  assert.equal(fitLine("short line", 80), "short line");
  assert.equal(fitLine("the quick brown fox jumps over the lazy dog", 20), "the quick brown fox…");
  assert.equal(
    fitLine("/a/very/long/path/without/any/space/at/all/in/it", 20),
    "/a/very/long/path/w…",
    "no space to cut at: cut mid-path rather than drop it",
  );
  const painted = fitLine("\x1b[33mwarning: the quick brown fox jumps over\x1b[0m", 20);
  assert.equal(painted, "\x1b[33mwarning: the quick…\x1b[0m", "colour closed after the cut");
  assert.ok(displayWidth(painted) <= 20);
});

Deno.test("fitText() fits every line and keeps the line count", () => {
  const text = 'one two three four five six\nshort\n✅ Connected to "Acme" in 182 ms';
  const fitted = fitText(text, 12);
  assert.equal(fitted.split("\n").length, 3);
  for (const line of fitted.split("\n")) assert.ok(displayWidth(line) <= 12, line);
});

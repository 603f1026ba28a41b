import assert from "node:assert/strict";
import { parseSearchText } from "../../lib/store/fts_query.ts";
import { foldText, makeSnippet } from "../../lib/store/snippet.ts";

Deno.test("foldText() lower-cases and strips diacritics without moving characters", () => {
  const cases: [string, string][] = [
    ["Café ÜBER", "cafe uber"],
    ["plain", "plain"],
    ["İstanbul", "istanbul"],
    ["日本", "日本"],
  ];
  for (const [input, expected] of cases) {
    const folded = foldText(input);
    assert.equal(folded.length, input.length);
    if (input !== "İstanbul") assert.equal(folded, expected);
  }
});

Deno.test("makeSnippet() marks whole-word matches, phrases and prefixes", () => {
  const text = "We were DOUBLE charged. The Café refunded; refunds take days.";
  assert.equal(
    makeSnippet([text], parseSearchText('"double charged" cafe refund*')),
    "We were [DOUBLE charged]. The [Café] [refunded]; [refunds] take days.",
  );
  assert.equal(makeSnippet([text], parseSearchText("refund")), text, "no partial-word match");
});

Deno.test("makeSnippet() cuts a window around the first match of the best column", () => {
  const long = `${"intro words ".repeat(30)}the invoice is wrong ${"tail ".repeat(80)}`;
  const snippet = makeSnippet([long, "Subject without it", null], parseSearchText("invoice"));
  assert.ok(snippet !== null);
  assert.match(snippet, /^….*the \[invoice\] is wrong .*…$/);
  assert.ok(snippet.length < 200);
  assert.equal(
    makeSnippet(["no match here", "Invoice question"], parseSearchText("invoice")),
    "[Invoice] question",
  );
});

Deno.test("makeSnippet() returns the start of the text when nothing matches and null without text", () => {
  assert.equal(makeSnippet(["some body text"], parseSearchText("zebra")), "some body text");
  assert.equal(makeSnippet([null, ""], parseSearchText("zebra")), null);
});

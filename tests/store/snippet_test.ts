import assert from "node:assert/strict";
import { parseSearchText } from "../../lib/store/fts_query.ts";
import { foldText, makeSnippet, snippetSettled } from "../../lib/store/snippet.ts";

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

Deno.test("makeSnippet() marks the first matches of every term even when one term is everywhere", () => {
  const text = `alpha beta beta ${"alpha ".repeat(100)}`;
  const snippet = makeSnippet([text], parseSearchText("alpha beta"), { length: 30 });
  assert.equal(snippet, "[alpha] [beta] [beta] [alpha] [alpha] [alpha]…");
});

Deno.test("snippetSettled() is true only when the start decides the snippet", () => {
  const terms = parseSearchText('"double charged" card');
  const head = `${"filler words here ".repeat(5)}I was double charged on my card. ${
    "more text ".repeat(30)
  }`;
  assert.equal(snippetSettled(head, terms), true);
  assert.equal(snippetSettled(head, parseSearchText("card zebra")), false, "a term is missing");
  assert.equal(snippetSettled(head.slice(0, 140), terms), false, "too short past the match");
  assert.equal(snippetSettled(head, []), false, "no terms");
});

Deno.test("makeSnippet() gives the same snippet for a settled start as for the whole text", () => {
  const parts = Array.from(
    { length: 60 },
    (_, i) =>
      i === 25
        ? "we were double charged on the card twice"
        : i === 26
        ? "Card number ends in 4242, double charged again"
        : `part ${i} says hello and goodbye to everyone reading`,
  );
  const cases = ['"double charged" card', "hello", "card* goodbye", "twice double"];
  for (const text of cases) {
    const terms = parseSearchText(text);
    const whole = makeSnippet([parts.join("\n"), "Subject card"], terms);
    let settled = false;
    for (let n = 1; n <= parts.length; n++) {
      const head = parts.slice(0, n).join("\n");
      if (!snippetSettled(head, terms)) continue;
      settled = true;
      assert.equal(makeSnippet([head, "Subject card"], terms), whole, `${text} after ${n}`);
    }
    assert.ok(settled, text);
  }
});

import assert from "node:assert/strict";
import { toPlainText } from "../../lib/store/plain_text.ts";

Deno.test("toPlainText() turns HTML bodies into text and leaves plain text alone", () => {
  const cases: [string | null, string | null][] = [
    [null, null],
    ["plain a < b and c > d", "plain a < b and c > d"],
    ["<p>Hello</p><p>World</p>", "Hello\nWorld"],
    ["Line one<br>Line two<br/>three", "Line one\nLine two\nthree"],
    ['<p>Click <a href="https://x.test">here</a> &amp; wait&nbsp;now</p>', "Click here & wait now"],
    ["<p>&#233;t&#xE9; &lt;tag&gt; &bogus;</p>", "été <tag> &bogus;"],
    ["<div><ul><li>a</li><li>b</li></ul></div>", "a\nb"],
  ];
  for (const [input, expected] of cases) {
    assert.equal(toPlainText(input), expected, `input ${JSON.stringify(input)}`);
  }
});

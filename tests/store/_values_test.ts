import assert from "node:assert/strict";
import {
  likeContains,
  NUL_REPLACEMENT,
  storableJson,
  storableText,
} from "../../lib/store/_values.ts";

Deno.test("storableText() replaces every U+0000 with U+FFFD and leaves other text as it is", () => {
  assert.equal(NUL_REPLACEMENT, "\uFFFD");
  assert.equal(storableText("a\0b\0\0c"), "a\uFFFDb\uFFFD\uFFFDc");
  assert.equal(storableText("plain ✓ 日本"), "plain ✓ 日本");
  assert.equal(storableText(null), null);
  assert.equal(storableText(undefined), undefined);
});

Deno.test("storableJson() replaces U+0000 in nested strings and keys, and is plain JSON otherwise", () => {
  const value = { "k\0": ["x\0y", { z: "\0" }], n: 1, t: "\\u0000 as text" };
  assert.deepEqual(JSON.parse(storableJson(value)), {
    "k\uFFFD": ["x\uFFFDy", { z: "\uFFFD" }],
    n: 1,
    t: "\\u0000 as text",
  });
  assert.equal(storableJson({ a: [1, "b"] }), JSON.stringify({ a: [1, "b"] }));
});

Deno.test("likeContains() wraps text in % and escapes LIKE's wildcards and the escape", () => {
  assert.equal(likeContains("請求書"), "%請求書%");
  assert.equal(likeContains("50%_off\\x"), "%50\\%\\_off\\\\x%");
});

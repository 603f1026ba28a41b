import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { buildFtsQuery, MAX_FTS_TERMS, parseSearchText } from "../../lib/store/fts_query.ts";

Deno.test("buildFtsQuery() quotes words and phrases and ANDs them", () => {
  const cases: [string, string | null][] = [
    ["refund", '"refund"'],
    ["  refund   charge ", '"refund" AND "charge"'],
    ['"double charge" refund', '"double charge" AND "refund"'],
    ["pay*", '"pay"*'],
    ["pay**", '"pay"*'],
    ['say "hi', '"say" AND """hi"'],
    ['a"b', '"a" AND """b"'],
    ["NEAR(a b)", '"NEAR(a" AND "b)"'],
    ["title:refund", '"title:refund"'],
    ["-refund", '"-refund"'],
    ["AND OR NOT", '("AND" OR "NOT")'],
    ["refund chargeback OR dispute", '"refund" AND ("chargeback" OR "dispute")'],
    ["a OR b OR c d", '("a" OR "b" OR "c") AND "d"'],
    ["OR refund OR", '"refund"'],
    ['"a OR b"', '"a OR b"'],
    ["or", '"or"'],
    ["refund\u0000request", '"refund" AND "request"'],
    ["café", '"café"'],
    ["zzs6f70656e", '{subject title body} : "zzs6f70656e"'],
    ["😀 🎉", null],
    ['* ( ) - : ""', null],
    ["", null],
  ];
  for (const [input, expected] of cases) {
    assert.equal(buildFtsQuery(input), expected, `input ${JSON.stringify(input)}`);
  }
});

Deno.test("parseSearchText() keeps at most MAX_FTS_TERMS terms and marks phrases and prefixes", () => {
  const many = Array.from({ length: MAX_FTS_TERMS + 5 }, (_, i) => `w${i}`).join(" ");
  assert.equal(parseSearchText(many).length, MAX_FTS_TERMS);
  assert.deepEqual(parseSearchText('"a b" cat* d 請求書'), [
    { text: "a b", phrase: true, prefix: false, unspaced: false },
    { text: "cat", phrase: false, prefix: true, unspaced: false },
    { text: "d", phrase: false, prefix: false, unspaced: false },
    { text: "請求書", phrase: false, prefix: false, unspaced: true },
  ]);
});

Deno.test("buildFtsQuery() output is valid FTS5 syntax for hostile input", () => {
  const db = new DatabaseSync(":memory:");
  try {
    db.exec("CREATE VIRTUAL TABLE f USING fts5(subject, title, body, facets)");
    db.exec("INSERT INTO f VALUES ('refund', 'x', 'double charge please', 'zzs6f70656e')");
    const inputs = [
      '"',
      '"""',
      "*",
      "a*b*c*",
      "((((",
      "NEAR",
      "NEAR/3",
      "refund NOT",
      "^start",
      "{subject}",
      "col: x",
      "'; DROP TABLE f; --",
      "\u0000\u0001",
      "日本語 テキスト",
      "emoji 😀 mixed",
      "zzs6f70656e*",
      '"zz6f" zza01',
      "x".repeat(10000),
    ];
    for (const input of inputs) {
      const query = buildFtsQuery(input);
      if (query === null) continue;
      assert.doesNotThrow(
        () => db.prepare("SELECT count(*) FROM f WHERE f MATCH ?").get(query),
        `input ${JSON.stringify(input)} → ${query}`,
      );
    }
  } finally {
    db.close();
  }
});

Deno.test("buildFtsQuery() searches prefixes of fewer than 3 letters as plain words", () => {
  assert.equal(buildFtsQuery("re*"), '"re"');
  assert.equal(buildFtsQuery("k*"), '"k"');
  assert.equal(buildFtsQuery("ref*"), '"ref"*');
  assert.equal(buildFtsQuery("日本*"), '"日本"');
  assert.equal(buildFtsQuery("日本語*"), '"日本語"*');
});

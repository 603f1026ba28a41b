import assert from "node:assert/strict";
import {
  DOC_ID_SECOND_SPAN,
  docIdBase,
  docIdRange,
  docIdSecond,
  facetClause,
  facetToken,
  tagKey,
} from "../../lib/store/search_keys.ts";

Deno.test("docIdBase() and docIdSecond() map seconds to ordered, disjoint id ranges", () => {
  assert.equal(docIdBase(1714521600), 1714521600 * DOC_ID_SECOND_SPAN);
  assert.equal(docIdSecond(docIdBase(1714521600) + 5), 1714521600);
  assert.equal(docIdBase(-5), 0);
  assert.ok(docIdBase(2 ** 40) <= Number.MAX_SAFE_INTEGER);
  assert.ok(docIdBase(100) + DOC_ID_SECOND_SPAN - 1 < docIdBase(101));
});

Deno.test("docIdRange() covers whole seconds, inclusive at both ends", () => {
  assert.deepEqual(docIdRange(10, 20), {
    low: 10 * DOC_ID_SECOND_SPAN,
    high: 21 * DOC_ID_SECOND_SPAN - 1,
  });
  assert.equal(docIdRange(undefined, 5).low, 0);
  assert.ok(docIdRange(5).high >= docIdBase(2 ** 32 - 1));
  assert.equal(docIdRange(10.5, 20.5).low, 11 * DOC_ID_SECOND_SPAN);
});

Deno.test("facetToken() spells values as hex the SQL view can reproduce", () => {
  assert.equal(facetToken("state", "open"), "zzs6f70656e");
  assert.equal(facetToken("tag", tagKey("  Ärger ")), "zzgc3a472676572");
  assert.equal(facetToken("admin", "5001"), "zza35303031");
  assert.equal(facetToken("team", "7"), "zzt37");
  assert.equal(facetClause(["zzs1"]), 'facets : "zzs1"');
  assert.equal(facetClause(["zza1", "zzt1"]), 'facets : ("zza1" OR "zzt1")');
});

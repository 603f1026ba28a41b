import assert from "node:assert/strict";
import { partsTotal, partsTruncated } from "../../lib/intercom/parts.ts";

function conv(returned: number, totalCount: number, statistics: Record<string, unknown>) {
  const part = (i: number) => ({
    id: String(i),
    part_type: "comment",
    body: null,
    created_at: i,
    updated_at: null,
    notified_at: null,
    author: null,
    redacted: false,
    assigned_to: null,
    attachments: [],
  });
  return {
    statistics,
    conversation_parts: {
      conversation_parts: Array.from({ length: returned }, (_, i) => part(i)),
      total_count: totalCount,
    },
  };
}

Deno.test("partsTotal() and partsTruncated() prefer statistics.count_conversation_parts (source included)", () => {
  const cases: [ReturnType<typeof conv>, number, boolean, string][] = [
    [
      conv(500, 500, { count_conversation_parts: 613 }),
      612,
      true,
      "total_count says nothing missing",
    ],
    [conv(500, 500, { count_conversation_parts: 501 }), 500, false, "exactly 500 parts"],
    [conv(3, 3, { count_conversation_parts: 4 }), 3, false, "small"],
    [conv(500, 640, {}), 640, true, "no statistics: total_count"],
    [conv(500, 640, { count_conversation_parts: null }), 640, true, "null count: total_count"],
    [conv(7, 7, { count_conversation_parts: 2 }), 7, false, "never fewer than returned"],
    [conv(0, 0, { count_conversation_parts: 1 }), 0, false, "source only"],
  ];
  for (const [c, total, truncated, why] of cases) {
    assert.equal(partsTotal(c), total, why);
    assert.equal(partsTruncated(c), truncated, why);
  }
});

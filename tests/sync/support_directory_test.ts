import assert from "node:assert/strict";
import { syncSupportDirectory } from "../../lib/sync/support_directory.ts";
import { withStreams } from "./_streams.ts";

Deno.test("syncSupportDirectory() quarantines an unreadable ticket type and data attribute, keeps their stored rows, stores the rest and clears them once they read", async () => {
  // Issue 10 defect 4 carried into issue 14: one odd definition used to fail every run's
  // ticket and company streams.
  await withStreams({ conversations: 50, seed: 4 }, async ({ sim, store, ctx }) => {
    const ws = sim.workspace;
    await syncSupportDirectory(ctx);
    const type = ws.ticketTypes[1]!;
    const attribute = ws.dataAttributes.find((a) => a.model === "company" && a.custom)!;
    const label = attribute.label;
    type.quirks = { malformed: true };
    attribute.quirks = { malformed: true };
    attribute.label = "Relabelled While Unreadable";
    ws.ticketTypes[0]!.name = "Renamed type";
    const result = await syncSupportDirectory(ctx);
    assert.equal(result.ticketTypes, ws.ticketTypes.length - 1);
    assert.deepEqual(store.quarantined().map((q) => [q.kind, q.id, q.endpoint]), [
      ["data_attribute", `company:${attribute.id}`, "GET /data_attributes?model=company"],
      ["ticket_type", type.id, "GET /ticket_types"],
    ]);
    assert.equal(store.support.counts().ticketTypes, ws.ticketTypes.length, "stored row kept");
    assert.equal(store.support.attributeLabels("company")[attribute.name], label, "kept");
    delete type.quirks;
    delete attribute.quirks;
    await syncSupportDirectory(ctx);
    assert.deepEqual(store.quarantined(), []);
    assert.equal(
      store.support.attributeLabels("company")[attribute.name],
      "Relabelled While Unreadable",
    );
  });
});

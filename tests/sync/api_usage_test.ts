import assert from "node:assert/strict";
import type { ClientStats } from "../../lib/intercom/client.ts";
import { ApiUsage } from "../../lib/sync/api_usage.ts";

Deno.test("ApiUsage counts the calls made since it was created, by endpoint too", () => {
  const stats: ClientStats = {
    requests: 10,
    retries: 2,
    rateLimited: 1,
    rateLimitWaitMs: 0,
    errors: 0,
    byEndpoint: { "GET /me": { "200": 1 }, "GET /conversations/{id}": { "200": 9 } },
  };
  const usage = new ApiUsage({ stats });
  assert.deepEqual(usage.calls(), { apiCalls: 0, retries: 0, rateLimited: 0 });
  assert.deepEqual(usage.requests(), {});
  stats.requests += 5;
  stats.retries += 1;
  stats.rateLimited += 2;
  stats.byEndpoint["GET /conversations/{id}"]!["200"] = 11;
  stats.byEndpoint["GET /conversations/{id}"]!["429"] = 2;
  stats.byEndpoint["POST /contacts/search"] = { "200": 1 };
  assert.deepEqual(usage.calls(), { apiCalls: 5, retries: 1, rateLimited: 2 });
  assert.deepEqual(usage.requests(), {
    "GET /conversations/{id}": { "200": 2, "429": 2 },
    "POST /contacts/search": { "200": 1 },
  });
});

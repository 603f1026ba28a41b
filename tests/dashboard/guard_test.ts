import assert from "node:assert/strict";
import { guardRequest } from "../../lib/dashboard/guard.ts";

const request = (headers: Record<string, string>) =>
  new Request("http://127.0.0.1/metrics", { headers });

Deno.test("guardRequest() lets loopback requests without a key through when none is set", () => {
  assert.equal(
    guardRequest(request({ host: "localhost:9464" }), { apiKey: null, loopback: true }),
    null,
  );
});

Deno.test("guardRequest() refuses: rebound Host 403, foreign Origin 403, missing key 401", () => {
  const loop = { apiKey: null, loopback: true };
  assert.equal(guardRequest(request({ host: "attacker.example" }), loop)?.status, 403);
  assert.equal(
    guardRequest(request({ host: "127.0.0.1", origin: "https://attacker.example" }), loop)?.status,
    403,
  );
  const keyed = { apiKey: "k", loopback: false };
  assert.equal(guardRequest(request({ host: "monitor.example" }), keyed)?.status, 401);
  assert.equal(
    guardRequest(request({ host: "monitor.example", authorization: "Bearer k" }), keyed),
    null,
  );
  assert.equal(
    guardRequest(request({ host: "127.0.0.1", origin: "https://ops.example" }), {
      ...loop,
      allowedOrigins: ["https://ops.example"],
    }),
    null,
  );
});

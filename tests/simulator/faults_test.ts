import assert from "node:assert/strict";
import { drawFault, validateFaultRates } from "../../lib/simulator/faults.ts";
import { Prng } from "../../lib/simulator/prng.ts";
import { realSleep, type Sleep } from "../../lib/util/clock.ts";
import { AUTH, withSimulator } from "./_fixtures.ts";

Deno.test("drawFault() draws kinds at their rates, deterministically per seed", () => {
  const rates = { "500": 0.1, slow: 0.05 };
  const draw = (seed: number) => {
    const rng = new Prng(seed);
    return Array.from({ length: 20_000 }, () => drawFault(rates, rng));
  };
  const a = draw(1);
  assert.deepEqual(draw(1), a);
  const share = (kind: string) => a.filter((k) => k === kind).length / a.length;
  assert.ok(Math.abs(share("500") - 0.1) < 0.01, `500: ${share("500")}`);
  assert.ok(Math.abs(share("slow") - 0.05) < 0.01, `slow: ${share("slow")}`);
  assert.equal(a.filter((k) => k === "empty").length, 0);
});

Deno.test("validateFaultRates() rejects unknown kinds, out-of-range rates and totals above 1", () => {
  assert.deepEqual(validateFaultRates({ empty: 0.5 }), { empty: 0.5 });
  assert.throws(() => validateFaultRates({ nope: 0.1 } as never), /Unknown fault kind "nope"/);
  assert.throws(() => validateFaultRates({ "500": -0.1 }), /between 0 and 1/);
  assert.throws(() => validateFaultRates({ "500": 0.7, reset: 0.7 }), /add up to 1\.4/);
});

const request = (url: string, signal?: AbortSignal) =>
  fetch(`${url}/conversations?per_page=5`, { headers: AUTH, ...(signal ? { signal } : {}) });

Deno.test("fault 500 answers a JSON server_error with rate headers", async () => {
  await withSimulator({ faults: { "500": 1 } }, async (sim) => {
    const res = await request(sim.url);
    const body = await res.json();
    assert.equal(res.status, 500);
    assert.equal(body.type, "error.list");
    assert.equal(body.errors[0].code, "server_error");
    assert.ok(res.headers.get("x-ratelimit-limit"));
    assert.equal(sim.stats.faults["500"], 1);
  });
});

Deno.test("fault html502 answers an HTML gateway page", async () => {
  await withSimulator({ faults: { html502: 1 } }, async (sim) => {
    const res = await request(sim.url);
    const text = await res.text();
    assert.equal(res.status, 502);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(text, /^<html>[\s\S]*502 Bad Gateway/);
  });
});

Deno.test("fault empty answers 200 with an empty body", async () => {
  await withSimulator({ faults: { empty: 1 } }, async (sim) => {
    const res = await request(sim.url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "");
  });
});

Deno.test("fault truncated answers 200 with the first half of the real JSON", async () => {
  await withSimulator({}, async (sim) => {
    const full = await (await request(sim.url)).text();
    sim.setFaults({ truncated: 1 });
    const res = await request(sim.url);
    const text = await res.text();
    assert.equal(res.status, 200);
    assert.ok(text.length > 0 && text.length < full.length);
    assert.ok(full.startsWith(text.slice(0, 40)));
    assert.throws(() => JSON.parse(text), SyntaxError);
  });
});

Deno.test("fault reset breaks the connection mid-body so the client's body read fails", async () => {
  await withSimulator({ faults: { reset: 1 } }, async (sim) => {
    const res = await request(sim.url);
    assert.equal(res.status, 200);
    await assert.rejects(() => res.text(), TypeError);
    assert.equal(sim.stats.faults.reset, 1);
  });
});

Deno.test("fault slow delays the answer by slowMs", async () => {
  await withSimulator({ faults: { slow: 1 }, slowMs: 80 }, async (sim) => {
    const started = performance.now();
    const res = await request(sim.url);
    await res.json();
    assert.equal(res.status, 200);
    assert.ok(performance.now() - started >= 75);
  });
});

Deno.test("fault slow is abandoned when the client disconnects", async () => {
  let abandoned = 0;
  const sleep: Sleep = (ms, signal) =>
    realSleep(ms, signal).catch((error) => {
      abandoned++;
      throw error;
    });
  await withSimulator({ faults: { slow: 1 }, slowMs: 30_000, sleep }, async (sim) => {
    const controller = new AbortController();
    const pending = request(sim.url, controller.signal);
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(pending, (e: unknown) => (e as Error).name === "AbortError");
    for (let i = 0; i < 100 && abandoned === 0; i++) await realSleep(10);
    assert.equal(abandoned, 1);
  });
});

Deno.test("close() does not wait for a slow fault in progress", async () => {
  await withSimulator({ faults: { slow: 1 }, slowMs: 30_000 }, async (sim) => {
    const pending = request(sim.url).then((res) => res.body?.cancel(), () => undefined);
    await realSleep(30);
    const started = performance.now();
    await sim.close();
    await pending;
    assert.ok(performance.now() - started < 2000);
  });
});

Deno.test("fault 429 answers rate_limit_exceeded with Remaining 0", async () => {
  await withSimulator({ faults: { "429": 1 } }, async (sim) => {
    const res = await request(sim.url);
    const body = await res.json();
    assert.equal(res.status, 429);
    assert.equal(body.errors[0].code, "rate_limit_exceeded");
    assert.equal(res.headers.get("x-ratelimit-remaining"), "0");
    assert.equal(sim.stats.rateLimited, 0);
    assert.equal(sim.stats.faults["429"], 1);
  });
});

Deno.test("faulted requests count toward the rate window", async () => {
  const clock = () => 1_750_000_001_000;
  await withSimulator(
    { faults: { "500": 1 }, rateLimit: { limit: 2, windowSeconds: 10 }, clock },
    async (sim) => {
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const res = await request(sim.url);
        await res.body?.cancel();
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [500, 500, 429]);
    },
  );
});

import assert from "node:assert/strict";
import { parseVmHwm, readRssBytes, watchPeakRss } from "../../../scripts/integration/peak_rss.ts";

Deno.test("parseVmHwm() reads the high-water mark of /proc/<pid>/status", () => {
  const status = "Name:\tdeno\nVmPeak:\t 3000000 kB\nVmHWM:\t   92252 kB\nVmRSS:\t   90000 kB\n";
  assert.equal(parseVmHwm(status), 92252 * 1024);
  assert.equal(parseVmHwm("Name:\tdeno\n"), null);
});

Deno.test("watchPeakRss() keeps the highest sample and ignores a gone process", async () => {
  const samples = [10, 30, null, 20];
  let i = 0;
  const watch = watchPeakRss(1, {
    intervalMs: 1,
    read: () => Promise.resolve(samples[Math.min(i++, samples.length - 1)] ?? null),
  });
  while (i < samples.length) await new Promise((r) => setTimeout(r, 2));
  assert.equal(await watch.stop(), 30);
  assert.equal(watch.peak(), 30);
});

Deno.test("readRssBytes() measures this process and returns null for no process", async () => {
  const own = await readRssBytes(Deno.pid);
  assert.ok(own !== null && own > 10_000_000, `own RSS ${own}`);
  assert.equal(await readRssBytes(2 ** 22 + 12345), null);
});

/**
 * Timing query kinds for the store benchmarks (`store_bench.ts`, `support_store_bench.ts`): wall
 * and CPU time per call, percentiles, and the table they print.
 */
import process from "node:process";

/** The `p`th percentile of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** One measured query kind. */
export interface Row {
  name: string;
  /** Wall-clock milliseconds per call. */
  times: number[];
  /** CPU milliseconds per call (user + system): barely affected by other processes' load. */
  cpu: number[];
  total: number;
  target: number;
}

/** Runs `run` `iterations` times (after 5 warm-ups) and records wall and CPU time per call. */
export function measure(
  name: string,
  options: { iterations: number; target: number },
  run: (i: number) => number,
): Row {
  for (let i = 0; i < 5; i++) run(i);
  const times: number[] = [];
  const cpu: number[] = [];
  let total = 0;
  for (let i = 0; i < options.iterations; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    total = run(i);
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  return { name, times, cpu, total, target: options.target };
}

/** The rows as a table: p50/p95/p99 wall time, CPU time, result total, p95 against the target. */
export function format(rows: Row[]): string {
  const header = [
    "query",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "cpu p50",
    "cpu p95",
    "total",
    "p95 vs target",
  ];
  const lines = rows.map((row) => {
    const wall = [...row.times].sort((a, b) => a - b);
    const cpu = [...row.cpu].sort((a, b) => a - b);
    const p95 = percentile(wall, 95);
    return [
      row.name,
      percentile(wall, 50).toFixed(2),
      p95.toFixed(2),
      percentile(wall, 99).toFixed(2),
      percentile(cpu, 50).toFixed(2),
      percentile(cpu, 95).toFixed(2),
      String(row.total),
      `${p95 <= row.target ? "ok" : "MISS"} ≤${row.target}`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const render = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(
      "  ",
    );
  return [render(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(render)].join(
    "\n",
  );
}

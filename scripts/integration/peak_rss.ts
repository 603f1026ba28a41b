/**
 * Peak resident memory of another process, sampled while it runs: Linux's `VmHWM` (the kernel's
 * own high-water mark, so no peak is missed between samples), elsewhere `ps -o rss=`.
 * Reading `/proc/<pid>/status` needs `--allow-all` in Deno; without it `ps` is used.
 */

/** Reads a process's resident memory in bytes (its peak where the system keeps one). */
export type RssReader = (pid: number) => Promise<number | null>;

/** Options for {@link watchPeakRss}. */
export interface WatchPeakRssOptions {
  /** Sampling period. Default: 100 ms. */
  intervalMs?: number;
  /** Default: {@link readRssBytes}. */
  read?: RssReader;
}

/** A running sampler; `stop()` takes a last sample and returns the peak in bytes (0 if none). */
export interface PeakRssWatch {
  peak(): number;
  stop(): Promise<number>;
}

/** The `VmHWM` line of `/proc/<pid>/status` in bytes, or null when absent. */
export function parseVmHwm(statusText: string): number | null {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(statusText);
  return match ? Number(match[1]) * 1024 : null;
}

/** The resident memory of `pid` in bytes: `VmHWM` on Linux, `ps -o rss=` elsewhere; null if gone. */
export async function readRssBytes(pid: number): Promise<number | null> {
  try {
    return parseVmHwm(await Deno.readTextFile(`/proc/${pid}/status`));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound && Deno.build.os === "linux") return null;
  }
  try {
    const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)] }).output();
    const kb = Number(new TextDecoder().decode(out.stdout).trim());
    return out.success && Number.isFinite(kb) && kb > 0 ? kb * 1024 : null;
  } catch {
    return null; // no ps, or no --allow-run: the figure stays unknown
  }
}

/** Samples `pid` until stopped and keeps the highest value seen. */
export function watchPeakRss(pid: number, options: WatchPeakRssOptions = {}): PeakRssWatch {
  const read = options.read ?? readRssBytes;
  let peak = 0;
  let pending: Promise<void> = Promise.resolve();
  const sample = () => {
    pending = pending.then(async () => {
      const value = await read(pid);
      if (value !== null && value > peak) peak = value;
    });
    return pending;
  };
  void sample();
  const timer = setInterval(sample, options.intervalMs ?? 100);
  return {
    peak: () => peak,
    async stop() {
      clearInterval(timer);
      await sample();
      return peak;
    },
  };
}

/** Capturing what the program logs through LogTape, for tests that assert on log records. */
import { configure, type LogRecord, reset } from "@logtape/logtape";

/** Options for {@link captureLogs}. */
export interface CaptureLogsOptions {
  /** The logger category captured. Default: `["fast-intercom"]` (everything the program logs). */
  category?: string[];
}

/**
 * Runs `fn` with LogTape sending `category` at debug and above to an array, and returns the
 * records. The configuration is reset afterwards, also when `fn` throws.
 */
export async function captureLogs(
  fn: () => void | Promise<void>,
  options: CaptureLogsOptions = {},
): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  await configure({
    sinks: { memory: (record) => void records.push(record) },
    loggers: [
      { category: options.category ?? ["fast-intercom"], lowestLevel: "debug", sinks: ["memory"] },
      { category: ["logtape", "meta"], lowestLevel: "error", sinks: [] },
    ],
    reset: true,
  });
  try {
    await fn();
  } finally {
    await reset();
  }
  return records;
}

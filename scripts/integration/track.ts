/**
 * Registers a run of the integration script with the status tracker, so `monitor status` shows
 * it beside the syncs it starts. The script runs this in the background with its stdin on a
 * FIFO; it prints the process id, then follows commands, one per line:
 *
 *   step <current> <total> <message…>   progress (e.g. `step 3 8 verifying the store`)
 *   log <message…>                      a line in aggregated_logs/<process_id>.log
 *   complete <json>                     ends the record as completed, the JSON as its result
 *   fail <message…>                     ends the record as failed
 *
 * End of input without `complete` or `fail` (the script was killed) records `interrupted`.
 *
 *   deno run -A scripts/integration/track.ts --description "integration test (simulator, 1 day)"
 *
 * The status directory and session id come from FASTINTERCOM_STATUS_DIR and
 * FASTINTERCOM_SESSION_ID, as for every command.
 */
import { parseArgs } from "node:util";
import { resolvePaths } from "../../lib/config/paths.ts";
import { StatusTracker, type TrackedProcess } from "../../lib/registry/status_tracker.ts";
import { LineSplitStream } from "../../lib/util/lines.ts";

/** The process type `monitor status` shows for integration runs. */
export const PROCESS_TYPE = "integration_test";

/** How a run ended, after {@link followCommands} read all its input. */
export type TrackOutcome = "completed" | "failed" | "interrupted";

/** Applies the commands in `lines` (see the module documentation) to `tracked`. */
export async function followCommands(
  tracked: TrackedProcess,
  lines: AsyncIterable<string>,
): Promise<TrackOutcome> {
  for await (const line of lines) {
    const [command = "", ...rest] = line.trim().split(/\s+/);
    const text = line.trim().slice(command.length).trim();
    if (command === "step") {
      const [current, total, ...words] = rest;
      const c = Number(current);
      const t = Number(total);
      tracked.update({
        current: c,
        total: t,
        percentage: t > 0 ? Math.round((100 * c) / t) : null,
        message: words.join(" "),
      });
      tracked.logLine(`${new Date().toISOString()} step ${c}/${t}: ${words.join(" ")}`);
      await tracked.heartbeat();
    } else if (command === "log") {
      tracked.logLine(`${new Date().toISOString()} ${text}`);
    } else if (command === "complete") {
      await tracked.complete(parseResult(text));
      return "completed";
    } else if (command === "fail") {
      await tracked.fail(new Error(text || "failed"));
      return "failed";
    }
  }
  await tracked.interrupt("the integration script ended without reporting a result");
  return "interrupted";
}

function parseResult(text: string): Record<string, unknown> {
  if (text === "") return {};
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === "object" ? value : { value };
  } catch {
    return { text };
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      description: { type: "string", default: "integration test" },
      metadata: { type: "string", default: "{}" },
    },
  });
  const paths = resolvePaths();
  const tracker = new StatusTracker({ dir: paths.statusDir });
  const tracked = await tracker.start(PROCESS_TYPE, values.description, {
    metadata: parseResult(values.metadata),
    logFiles: ["main.log", "sync.log", "errors.log", "progress.jsonl"].map((f) =>
      `${paths.logDir}/${f}`
    ),
  });
  await Deno.stdout.write(new TextEncoder().encode(tracked.id + "\n"));
  const stop = () => void tracked.interrupt("signal").then(() => Deno.exit(130));
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).pipeThrough(
    new LineSplitStream(),
  );
  await followCommands(tracked, lines);
  Deno.exit(0);
}

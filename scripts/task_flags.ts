/**
 * The permission and V8 flags of a deno.json task, so that tests, benchmarks and the bundle run
 * the program exactly as `deno task cli` does, from one definition.
 */
import denoJson from "../deno.json" with { type: "json" };

/** The `--allow-*` and `--v8-flags=…` words of a deno.json task, in order. Default task: `cli`. */
export function taskFlags(task = "cli"): string[] {
  const command = (denoJson.tasks as Record<string, string | undefined>)[task];
  if (typeof command !== "string") throw new RangeError(`deno.json has no task "${task}"`);
  return command.trim().split(/\s+/).filter((w) => /^--(allow-[a-z-]+|v8-flags)(=|$)/.test(w));
}

/**
 * Bundles the program into one JavaScript file that runs anywhere Deno does, with nothing read
 * from the source tree: `deno bundle --platform deno main.ts`, plus a shebang carrying the same
 * permissions as the `cli` task, so the file is executable on its own.
 *
 *   deno run --allow-read --allow-write --allow-run --allow-env scripts/bundle.ts \
 *     [--output dist/fast-intercom-mcp.js]
 *   ./dist/fast-intercom-mcp.js --help
 *
 * The compiled binary (`deno task compile`) embeds the same program with Deno itself; this is the
 * route when Deno's runtime base cannot be downloaded (it also proves the program is
 * self-contained: tests/scripts/bundle_test.ts runs the bundle alone in an empty directory).
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { taskFlags } from "./task_flags.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The default output: `dist/fast-intercom-mcp.js` in the repository. */
export const DEFAULT_BUNDLE = join(ROOT, "dist", "fast-intercom-mcp.js");

/** Options for {@link bundle}. */
export interface BundleOptions {
  /** The entry point. Default: main.ts of the repository. */
  entry?: string;
  /** Permission flags for the shebang. Default: those of the `cli` task. */
  flags?: string[];
}

/** Writes the single-file program to `output` (executable, with a shebang) and returns its size. */
export async function bundle(output: string, options: BundleOptions = {}): Promise<number> {
  const entry = options.entry ?? join(ROOT, "main.ts");
  const flags = options.flags ?? taskFlags("cli");
  await Deno.mkdir(dirname(output), { recursive: true });
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform", "deno", "--output", output, entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) {
    const detail = new TextDecoder().decode(result.stderr).trim();
    throw new Error(`deno bundle of ${entry} failed (exit ${result.code}): ${detail}`);
  }
  const code = await Deno.readTextFile(output);
  const shebang = `#!/usr/bin/env -S deno run --quiet ${flags.join(" ")}\n`;
  const text = code.startsWith("#!") ? code : shebang + code;
  await Deno.writeTextFile(output, text, { mode: 0o755 });
  await Deno.chmod(output, 0o755).catch(() => {}); // no chmod on Windows
  return new TextEncoder().encode(text).length;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { output: { type: "string", default: DEFAULT_BUNDLE } },
  });
  const bytes = await bundle(values.output);
  // deno-lint-ignore no-console
  console.error(`bundled ${values.output} (${(bytes / 1e6).toFixed(2)} MB)`);
}

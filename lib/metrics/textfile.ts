/**
 * node_exporter's textfile collector: hosts that sync from cron write the metrics to a
 * `.prom` file in the collector's directory after each run. The file is replaced atomically
 * (a temp file not ending in `.prom`, then a rename), so the collector never reads half of it.
 */
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { atomicWriteTextFile } from "../util/atomic_write.ts";

/** The file name written inside the textfile directory. */
export const TEXTFILE_NAME = "fast_intercom_mcp.prom";

/** Writes `text` to `<dir>/fast_intercom_mcp.prom` atomically; returns the path. */
export async function writeTextfile(dir: string, text: string): Promise<string> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch (error) {
    throw new InputError(
      `--textfile "${dir}" does not exist: pass node_exporter's ` +
        "--collector.textfile.directory (create it first)",
      { cause: error },
    );
  }
  if (!info.isDirectory) {
    throw new InputError(
      `--textfile "${dir}" is not a directory: pass the directory, the file is named ${TEXTFILE_NAME}`,
    );
  }
  const path = join(dir, TEXTFILE_NAME);
  // a failure names the file, its directory and the fix (WriteFileError)
  await atomicWriteTextFile(path, text, { mode: 0o644 });
  return path;
}

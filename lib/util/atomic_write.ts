/**
 * Atomic file replacement: write a temp file beside the target, then rename it into place,
 * so a concurrent reader sees either the old or the new content, never half a file.
 */
import { PRIVATE_FILE_MODE } from "./private_files.ts";

/** Options for {@link atomicWriteTextFile}. */
export interface AtomicWriteOptions {
  /** File mode of the written file. Default: 0o600 (private; see `private_files.ts`). */
  mode?: number;
  /** Refuse to replace an existing file (throws `Deno.errors.AlreadyExists`). Default: false. */
  createNew?: boolean;
}

/** Writes `text` to `path` atomically (temp file + rename in the same directory). */
export async function atomicWriteTextFile(
  path: string,
  text: string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const temp = `${path}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeTextFile(temp, text, { mode: options.mode ?? PRIVATE_FILE_MODE });
    if (options.mode !== undefined) await Deno.chmod(temp, options.mode);
    if (options.createNew) {
      // link() fails when the target exists, which rename() would silently replace.
      await Deno.link(temp, path);
      await Deno.remove(temp);
    } else {
      await Deno.rename(temp, path);
    }
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

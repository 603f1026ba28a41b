/**
 * Atomic file replacement: write a temp file beside the target, then rename it into place,
 * so a concurrent reader sees either the old or the new content, never half a file.
 *
 * A failure names the target and its directory with the fix (`writeFailure`), never the temp
 * file (`…/sync.lock.json.4242.a8e7d5ce.tmp`) the OS error is about.
 */
import { dirname } from "node:path";
import { WriteFileError } from "../errors.ts";
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
    throw writeFailure(path, error);
  }
}

/** Linux errno values Deno reports only in the message ("(os error 28)"). */
const ENOSPC = 28;
const EROFS = 30;

function osErrno(error: Error): number | null {
  const match = /\(os error (\d+)\)/.exec(error.message);
  return match === null ? null : Number(match[1]);
}

/**
 * What to throw when writing `target` (through a temp file beside it) failed with `error`: a
 * {@link WriteFileError} naming the target, its directory and the fix, with `error` as its
 * cause. `AlreadyExists` (a `createNew` refusal) and errors already explained pass unchanged.
 */
export function writeFailure(target: string, error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  if (error instanceof Deno.errors.AlreadyExists || error instanceof WriteFileError) return error;
  const dir = dirname(target);
  const say = (why: string) =>
    new WriteFileError(`cannot write ${target}: ${why}`, target, {
      cause: error,
    });
  if (error instanceof Deno.errors.NotFound) {
    return say(
      `the directory ${dir} does not exist: create it (\`mkdir -p ${dir}\`), or ` +
        "choose another location",
    );
  }
  if (error instanceof Deno.errors.NotADirectory) {
    return say(
      `a part of ${dir} is a file where a directory belongs: move that file away, or ` +
        "choose another location",
    );
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return say(
      `permission denied in ${dir}: give this user write access to it (check ` +
        `\`ls -ld ${dir}\`, and \`lsattr -d\` for the immutable flag), or choose another location`,
    );
  }
  if (error instanceof Deno.errors.IsADirectory) {
    return say("it is a directory: move it away, or choose another name");
  }
  const errno = osErrno(error);
  if (errno === ENOSPC) {
    return say(
      `the disk holding ${dir} is full: free some space (\`df -h ${dir}\`), then run ` +
        "the command again",
    );
  }
  if (errno === EROFS) {
    return say(
      `${dir} is on a read-only file system: remount it writable, or choose another ` +
        "location",
    );
  }
  return say(
    `the write failed (${error.name}): check ${dir} (\`ls -ld ${dir}\`, \`df -h ` +
      `${dir}\`); run with --verbose for the system's message`,
  );
}

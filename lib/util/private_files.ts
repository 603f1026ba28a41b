/**
 * Everything this program writes is private to the user running it: files 0600, directories
 * 0700, wherever the user points the data, log or status directory. The process umask does
 * it for every file any code creates (SQLite's `-wal`/`-shm`, rotated log files, exports);
 * the explicit modes below keep the main files private where the umask cannot be set
 * (no `--allow-sys`, Windows).
 */

/** The mode of every file the program creates. */
export const PRIVATE_FILE_MODE = 0o600;
/** The mode of every directory the program creates. */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Adds group and other bits to the process umask (`umask | 077`), so files and directories
 * created from now on are private. Returns whether it could; never throws.
 */
export function restrictFileCreation(): boolean {
  try {
    Deno.umask(Deno.umask() | 0o077);
    return true;
  } catch {
    // Windows has no umask; without --allow-sys the explicit modes still apply
    return false;
  }
}

/** Creates `path` and missing parents as private directories (an existing one is left as is). */
export async function ensurePrivateDir(path: string): Promise<void> {
  await Deno.mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Synchronous {@link ensurePrivateDir}. */
export function ensurePrivateDirSync(path: string): void {
  Deno.mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Opens `path` for appending, creating it private when missing. */
export function openPrivateAppendSync(path: string): Deno.FsFile {
  return Deno.openSync(path, { append: true, create: true, mode: PRIVATE_FILE_MODE });
}

/** Creates an empty private file at `path` unless one exists. */
export async function touchPrivateFile(path: string): Promise<void> {
  try {
    await Deno.writeFile(path, new Uint8Array(), { createNew: true, mode: PRIVATE_FILE_MODE });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
}

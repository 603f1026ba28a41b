/**
 * The directories a sync writes (data, logs, status): each must be a directory this user can
 * write in (a probe file is created and removed), or, when it does not exist yet, be creatable
 * (its nearest existing ancestor is a writable directory). A regular file in the way, or a
 * directory without write permission, fails: `sync` would fail there too.
 */
import { dirname, join } from "node:path";
import { explainError } from "../explain_error.ts";
import type { HealthCheck } from "./checks.ts";

const OTHER_DIR = "or choose another directory (--data-dir, FASTINTERCOM_LOG_DIR, " +
  "FASTINTERCOM_STATUS_DIR)";

/** What is at `path`: a directory, something else, nothing, or an error reading it. */
async function kindOf(path: string): Promise<"dir" | "other" | "none" | Error> {
  try {
    return (await Deno.stat(path)).isDirectory ? "dir" : "other";
  } catch (error) {
    // ENOTDIR: a component above is a file; walking up finds which
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return "none";
    }
    return error as Error;
  }
}

/** Creates and removes a probe file in `dir`; the error when that fails. */
async function probeWrite(dir: string): Promise<Error | null> {
  const probe = join(dir, `.health-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`);
  try {
    await Deno.writeTextFile(probe, "", { createNew: true });
    await Deno.remove(probe);
    return null;
  } catch (error) {
    return error as Error;
  }
}

function notWritable(dir: string, error: Error, subject = dir): string {
  const why = error instanceof Deno.errors.PermissionDenied
    ? "permission denied"
    : /read-only file system|os error 30\b/i.test(error.message)
    ? "read-only file system"
    : explainError(error) ?? error.message;
  return `${subject} is not writable (${why}): give this user write access (check ` +
    `\`ls -ld ${dir}\`) ${OTHER_DIR}`;
}

/** `name` ok when `dir` is a writable directory or can be created; fail otherwise. */
export async function directoryCheck(name: string, dir: string): Promise<HealthCheck> {
  const result = (status: "ok" | "fail", detail: string): HealthCheck => ({ name, status, detail });
  const kind = await kindOf(dir);
  if (kind instanceof Error) return result("fail", explainError(kind) ?? kind.message);
  if (kind === "other") {
    return result("fail", `${dir} is a file, not a directory: move it away ${OTHER_DIR}`);
  }
  if (kind === "dir") {
    const failed = await probeWrite(dir);
    return failed === null
      ? result("ok", `${dir} writable`)
      : result("fail", notWritable(dir, failed));
  }
  // Missing: the nearest existing ancestor decides whether it can be created.
  let ancestor = dirname(dir);
  for (;;) {
    const up = await kindOf(ancestor);
    if (up instanceof Error) return result("fail", explainError(up) ?? up.message);
    if (up === "other") {
      return result(
        "fail",
        `${dir} cannot be created: ${ancestor} is a file, not a directory; move it away ${OTHER_DIR}`,
      );
    }
    if (up === "dir") break;
    const parent = dirname(ancestor);
    if (parent === ancestor) break;
    ancestor = parent;
  }
  const failed = await probeWrite(ancestor);
  return failed === null
    ? result("ok", `${dir} can be created`)
    : result("fail", notWritable(ancestor, failed, `${dir} cannot be created: ${ancestor}`));
}

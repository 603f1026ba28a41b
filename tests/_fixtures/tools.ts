/**
 * Optional tools (shellcheck, sqlite3, chromium, promtool, tmux): tests that need one run when it
 * is on PATH and are skipped with the reason in their name otherwise. CI installs them; a machine
 * with only Node.js and npm runs the rest of the suite.
 */

/** Whether `name` runs (`name --version` exits 0); never throws when it is absent. */
export async function hasTool(name: string, args: string[] = ["--version"]): Promise<boolean> {
  try {
    const out = await new Deno.Command(name, { args, stdout: "null", stderr: "null" }).output();
    return out.success;
  } catch {
    return false;
  }
}

/**
 * A test's name, with the reason it is skipped when `available` is false, so the runner's
 * "ignored" line says why: `lint passes (skipped: shellcheck not on PATH; apt-get install shellcheck)`.
 */
export function nameUnless(
  available: boolean,
  name: string,
  tool: string,
  install: string,
): string {
  return available ? name : `${name} (skipped: ${tool} not on PATH; ${install})`;
}

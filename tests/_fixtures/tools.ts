/**
 * Optional tools (shellcheck, sqlite3, chromium, promtool): tests that need one run when it is on
 * PATH and are skipped with the reason in their name otherwise. CI installs them
 * (`.ci/install-tools`, run by `.ci/run` as root and by the GitHub workflow); a machine with only
 * Node.js and npm runs the rest of the suite.
 */

/**
 * Every optional tool a test may look for, with the Debian/Ubuntu package that provides it.
 * {@link hasTool} takes only these names, and tests/scripts/workflows_test.ts checks that CI
 * installs each package, so a test needing a new tool cannot be skipped in CI unnoticed.
 */
export const OPTIONAL_TOOLS = {
  shellcheck: "shellcheck",
  sqlite3: "sqlite3",
  chromium: "chromium",
  promtool: "prometheus",
} as const;

/** The name of an optional tool. */
export type OptionalTool = keyof typeof OPTIONAL_TOOLS;

/** Whether `name` runs (`name --version` exits 0); never throws when it is absent. */
export async function hasTool(
  name: OptionalTool,
  args: string[] = ["--version"],
): Promise<boolean> {
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

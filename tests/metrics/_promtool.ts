/** `promtool check metrics` as a function: the exposition's external contract. */
import { hasTool, nameUnless } from "../_fixtures/tools.ts";

/** Whether promtool runs here. */
export const HAS_PROMTOOL = await hasTool("promtool", ["--version"]);

/** A test name carrying the skip reason when promtool is absent. */
export function withPromtool(name: string): string {
  return nameUnless(HAS_PROMTOOL, name, "promtool", "apt-get install prometheus");
}

/** Runs `promtool check metrics` on `text`; its output is empty when the text is clean. */
export async function promtoolCheck(text: string): Promise<{ ok: boolean; output: string }> {
  const child = new Deno.Command("promtool", {
    args: ["check", "metrics"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const out = await child.output();
  const output = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { ok: out.success, output: output.trim() };
}

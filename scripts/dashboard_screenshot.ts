/**
 * Screenshots of the web dashboard during a sync against the simulator (with rate limits and
 * some faults, so the charts and the error panel have something to show), at 1280×800 and at
 * a phone's 390×844, taken by headless Chromium. For the closing note; not committed.
 *
 *   deno run -A scripts/dashboard_screenshot.ts [--out /work/notes] [--wait 20]
 */
// deno-lint-ignore-file no-console
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startMonitorServer } from "../lib/app/monitor_server.ts";
import { resolveSettings } from "../lib/config/config.ts";
import { resolvePaths } from "../lib/config/paths.ts";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../lib/simulator/mod.ts";
import { taskFlags } from "./task_flags.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    out: { type: "string", default: "/work/notes" },
    wait: { type: "string", default: "20" },
  },
});
const dir = await Deno.makeTempDir({ prefix: "dashboard_shot_" });
const vars: Record<string, string> = {
  HOME: join(dir, "home"),
  FASTINTERCOM_DATA_DIR: join(dir, "data"),
  FASTINTERCOM_STATUS_DIR: join(dir, "status"),
  INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN,
};
const sim = await startSimulator({
  conversations: 3000,
  seed: 7,
  rateLimit: { limit: 300, windowSeconds: 10 },
  latency: { meanMs: 60, jitterMs: 20 },
  faults: { "429": 0.01, "500": 0.02 },
});
vars.FASTINTERCOM_API_URL = sim.url;
const env = (k: string) => vars[k];
const settings = await resolveSettings(resolvePaths({ env }), {}, { env, file: null });
const main = new URL("../main.ts", import.meta.url).pathname;
const sync = new Deno.Command(Deno.execPath(), {
  args: ["run", "--quiet", ...taskFlags("cli"), main, "sync", "--all"],
  env: {
    ...vars,
    PATH: Deno.env.get("PATH") ?? "",
    DENO_DIR: Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache", "deno"),
  },
  clearEnv: true,
  stdout: "null",
  stderr: "null",
}).spawn();
const server = await startMonitorServer(settings, { host: "127.0.0.1", port: 0, apiKey: null });
console.log(`dashboard ${server.url}/ — waiting ${values.wait}s for the sync to progress`);
await new Promise((r) => setTimeout(r, Number(values.wait) * 1000));

async function shot(name: string, width: number, height: number) {
  const path = join(values.out!, name);
  const profile = await Deno.makeTempDir({ prefix: "chromium_" });
  const out = await new Deno.Command("chromium", {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      `--window-size=${width},${height}`,
      "--hide-scrollbars",
      "--virtual-time-budget=3000",
      `--screenshot=${path}`,
      `${server.url}/`,
    ],
    stdout: "null",
    stderr: "null",
  }).output();
  await Deno.remove(profile, { recursive: true }).catch(() => {});
  console.log(out.success ? `wrote ${path}` : `chromium failed for ${name} (exit ${out.code})`);
}
try {
  await shot("dashboard-1280x800.png", 1280, 800);
  await shot("dashboard-1280-full.png", 1280, 2000);
  await shot("dashboard-phone-390x844.png", 390, 844);
} finally {
  try {
    sync.kill("SIGTERM");
  } catch { /* ended */ }
  await sync.status;
  await server.close();
  await sim.close();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}

/**
 * A store synced from the simulator in a sandbox, and an MCP client connected to a server
 * over it (in memory, stdio or HTTP), for the MCP tests.
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { resolveSettings, type Settings } from "../../lib/config/config.ts";
import { resolvePaths } from "../../lib/config/paths.ts";
import {
  DEFAULT_SIMULATOR_TOKEN,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "../../lib/simulator/mod.ts";
import { type McpApp, type McpAppOptions, openMcpApp } from "../../lib/mcp/app.ts";
import { createMcpServer } from "../../lib/mcp/server.ts";
import { Store } from "../../lib/store/store.ts";
import { syncWorkspace } from "../../lib/app/sync_service.ts";
import { join } from "node:path";
import { makeSandbox, PERMISSIONS, ROOT, type Sandbox } from "../_fixtures/cli.ts";

/** A sandbox with a store synced from a running simulator. */
export interface SyncedFixture extends AsyncDisposable {
  box: Sandbox;
  sim: Simulator;
  settings: Settings;
  /** The environment for a CLI child using this sandbox and simulator. */
  env: Record<string, string>;
  /** A read-only connection to the synced store (closed with the fixture). */
  store: Store;
}

/** Starts a simulator, syncs everything into a new sandbox and returns both. */
export async function syncedFixture(
  options: SimulatorOptions & { env?: Record<string, string>; sync?: boolean } = {},
): Promise<SyncedFixture> {
  const box = await makeSandbox(options.env ?? {});
  const sim = await startSimulator({ conversations: 60, seed: 11, ...options });
  const env: Record<string, string> = {
    ...box.env,
    FASTINTERCOM_API_URL: sim.url,
    INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN,
  };
  const lookup = (name: string) => env[name];
  const settings = await resolveSettings(resolvePaths({ env: lookup }), {}, {
    env: lookup,
    file: null,
  });
  await Deno.mkdir(settings.paths.dataDir, { recursive: true });
  if (options.sync !== false) {
    await syncWorkspace(settings, {
      mode: "all",
      sessionId: "test-session",
      console: false,
      tapLogs: false,
    });
  }
  const store = Store.open(
    settings.paths.storeFile,
    options.sync === false ? {} : {
      readOnly: true,
    },
  );
  return {
    box,
    sim,
    settings,
    env,
    store,
    async [Symbol.asyncDispose]() {
      store.close();
      await sim.close();
      await box[Symbol.asyncDispose]();
    },
  };
}

/** An in-memory client connected to a server over `app`. */
export interface MemoryClient extends AsyncDisposable {
  client: Client;
  app: McpApp;
  /** Calls a tool and returns its result (errors are results with `isError`). */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
}

/** Opens an app over the fixture's store (no background syncs unless asked) and connects. */
export async function memoryClient(
  fx: SyncedFixture,
  options: Partial<McpAppOptions> = {},
): Promise<MemoryClient> {
  const app = openMcpApp(fx.settings, {
    sessionId: "test-session",
    transport: "memory",
    syncIntervalMinutes: 0,
    maxSyncAgeMinutes: 0,
    ...options,
  });
  const server = createMcpServer(app.ctx);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "fixture-client", version: "1.0.0" });
  await client.connect(clientSide);
  return {
    client,
    app,
    call: async (name, args = {}) =>
      await client.callTool({ name, arguments: args }) as CallToolResult,
    async [Symbol.asyncDispose]() {
      await client.close();
      await server.close();
      await app.close();
    },
  };
}

/** The text of a result's first content block. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === "text" ? first.text : "";
}

/** A result's structured content, typed loosely for assertions. */
// deno-lint-ignore no-explicit-any
export function dataOf(result: CallToolResult): any {
  if (result.isError) throw new Error(`tool error: ${textOf(result)}`);
  return result.structuredContent;
}

/** How to run the CLI from source: for `StdioClientTransport` and other spawners. */
export function cliInvocation(args: string[]): { command: string; args: string[] } {
  return {
    command: Deno.execPath(),
    args: ["run", "--quiet", ...PERMISSIONS, join(ROOT, "main.ts"), ...args],
  };
}

/** A child's environment: only `extra` plus what Deno needs (PATH, the shared module cache). */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ["PATH", "DENO_DIR", "TMPDIR", "LANG", "TZ"]) {
    const value = Deno.env.get(key);
    if (value !== undefined) env[key] = value;
  }
  if (!env.DENO_DIR) {
    const cache = Deno.env.get("XDG_CACHE_HOME") ?? join(Deno.env.get("HOME") ?? "/root", ".cache");
    env.DENO_DIR = join(cache, "deno");
  }
  return { ...env, ...extra };
}

/** Shared helpers for the simulator tests. */
import {
  DEFAULT_SIMULATOR_TOKEN,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "../../lib/simulator/mod.ts";

/** A fixed workspace "now" (2025-06-15T15:06:40Z) so tests never depend on the date. */
export const NOW = 1_750_000_000;

/** Headers of an authenticated JSON request. */
export const AUTH = {
  authorization: `Bearer ${DEFAULT_SIMULATOR_TOKEN}`,
  accept: "application/json",
  "content-type": "application/json",
};

/** Runs `fn` against a fresh simulator (small workspace, fixed now) and always closes it. */
export async function withSimulator(
  options: SimulatorOptions,
  fn: (sim: Simulator) => Promise<void>,
): Promise<void> {
  const sim = await startSimulator({ conversations: 50, now: NOW, ...options });
  try {
    await fn(sim);
  } finally {
    await sim.close();
  }
}

/** A parsed JSON response: status, headers and body. */
export interface JsonReply {
  status: number;
  headers: Headers;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** GET `path` with the default token and parse the JSON answer. */
export async function getJson(
  sim: Simulator,
  path: string,
  headers: HeadersInit = AUTH,
): Promise<JsonReply> {
  const res = await fetch(sim.url + path, { headers });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** POST `body` as JSON to `path` with the default token and parse the answer. */
export async function postJson(sim: Simulator, path: string, body: unknown): Promise<JsonReply> {
  const res = await fetch(sim.url + path, {
    method: "POST",
    headers: AUTH,
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

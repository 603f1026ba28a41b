/**
 * Injected faults, drawn per authenticated request from a seeded generator: server errors,
 * HTML gateway pages, empty or truncated bodies, connections that break mid-body, slow
 * answers and 429 bursts, the failure modes seen from Intercom in practice.
 */
import type { Prng } from "./prng.ts";

/** The kinds of fault the simulator can inject. */
export type FaultKind = "500" | "html502" | "empty" | "truncated" | "reset" | "slow" | "429";

/** Probability (0..1) per request of each fault kind. */
export type FaultRates = Partial<Record<FaultKind, number>>;

/** Every fault kind, in the order rates are accumulated when drawing. */
export const FAULT_KINDS: readonly FaultKind[] = [
  "500",
  "html502",
  "empty",
  "truncated",
  "reset",
  "slow",
  "429",
];

/** Checks rates: known kinds, each within 0..1, summing to at most 1. Returns a copy. */
export function validateFaultRates(rates: FaultRates): FaultRates {
  let sum = 0;
  const copy: FaultRates = {};
  for (const [kind, rate] of Object.entries(rates)) {
    if (!FAULT_KINDS.includes(kind as FaultKind)) {
      throw new RangeError(`Unknown fault kind "${kind}": use one of ${FAULT_KINDS.join(", ")}`);
    }
    if (typeof rate !== "number" || !(rate >= 0 && rate <= 1)) {
      throw new RangeError(`Fault rate for "${kind}" must be between 0 and 1, got ${rate}`);
    }
    sum += rate;
    copy[kind as FaultKind] = rate;
  }
  if (sum > 1 + 1e-9) {
    throw new RangeError(`Fault rates add up to ${sum}; they must total at most 1`);
  }
  return copy;
}

/** Draws the fault for one request (one draw per request), or undefined for none. */
export function drawFault(rates: FaultRates, rng: Prng): FaultKind | undefined {
  const r = rng.next();
  let acc = 0;
  for (const kind of FAULT_KINDS) {
    acc += rates[kind] ?? 0;
    if (r < acc) return kind;
  }
  return undefined;
}

/** What a gateway in front of Intercom answers with: HTML, not JSON. */
export function html502Response(): Response {
  const html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
    "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
  return new Response(html, { status: 502, headers: { "content-type": "text/html" } });
}

/** The same response with its body cut in half (a complete, short, invalid JSON body). */
export async function truncatedResponse(response: Response): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(bytes.slice(0, Math.floor(bytes.length / 2)), {
    status: response.status,
    headers,
  });
}

/**
 * The same response whose connection breaks mid-body: it announces the full length, sends
 * half, then ends, so the server drops the connection and the client's body read fails.
 */
export async function resetResponse(response: Response): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const half = bytes.slice(0, Math.max(1, Math.floor(bytes.length / 2)));
  const headers = new Headers(response.headers);
  headers.set("content-length", String(Math.max(bytes.length, half.length + 1)));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(half);
      controller.close();
    },
  });
  return new Response(body, { status: response.status, headers });
}

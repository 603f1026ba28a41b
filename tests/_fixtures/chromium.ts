/**
 * Headless Chromium driven over the DevTools protocol, for tests that load a page in a real
 * browser. Debian's `chromium` is used as installed (never downloaded); tests skip with a
 * reason when it is absent. Every browser gets its own temporary profile and is killed by pid.
 */
import { hasTool, nameUnless } from "./tools.ts";

/** The browser binary. */
export const CHROMIUM = "chromium";

/** Whether chromium runs here. */
export const HAS_CHROMIUM = await hasTool(CHROMIUM, ["--version"]);

/** A test name carrying the skip reason when chromium is absent. */
export function withChromium(name: string): string {
  return nameUnless(HAS_CHROMIUM, name, "chromium", "apt-get install chromium");
}

/** A page in a headless browser. */
export interface BrowserPage extends AsyncDisposable {
  /** Evaluates `expression` in the page and returns its (JSON-serialisable) value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls `expression` until it returns a truthy value; returns it. */
  waitFor<T>(expression: string, options?: { timeoutMs?: number; what?: string }): Promise<T>;
}

/** Starts headless Chromium and opens `url` at `width`×`height`. */
export async function openPage(
  url: string,
  options: { width?: number; height?: number } = {},
): Promise<BrowserPage> {
  const profile = await Deno.makeTempDir({ prefix: "chromium-test-" });
  const child = new Deno.Command(CHROMIUM, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      "--remote-debugging-port=0",
      `--window-size=${options.width ?? 1280},${options.height ?? 800}`,
      "about:blank",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stop = async () => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.status;
    await child.stderr.cancel().catch(() => {});
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  };
  try {
    const wsUrl = await devtoolsUrl(child.stderr);
    const cdp = await connect(wsUrl);
    const { targetId } = await cdp.send<{ targetId: string }>("Target.createTarget", { url });
    const { sessionId } = await cdp.send<{ sessionId: string }>("Target.attachToTarget", {
      targetId,
      flatten: true,
    });
    const evaluate = async <T>(expression: string): Promise<T> => {
      const res = await cdp.send<{ result: { value: T }; exceptionDetails?: unknown }>(
        "Runtime.evaluate",
        { expression, returnByValue: true },
        sessionId,
      );
      if (res.exceptionDetails) {
        throw new Error(`page error: ${JSON.stringify(res.exceptionDetails)}`);
      }
      return res.result.value;
    };
    return {
      evaluate,
      async waitFor<T>(expression: string, o: { timeoutMs?: number; what?: string } = {}) {
        const deadline = Date.now() + (o.timeoutMs ?? 15_000);
        let last: unknown = null;
        while (Date.now() < deadline) {
          last = await evaluate<T>(expression).catch((e) => e);
          if (last && !(last instanceof Error)) return last as T;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`timed out waiting for ${o.what ?? expression} (last: ${String(last)})`);
      },
      async [Symbol.asyncDispose]() {
        cdp.close();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function devtoolsUrl(stderr: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
    if (match) {
      // keep draining so the browser never blocks on a full pipe
      (async () => {
        while (!(await reader.read()).done) { /* discard */ }
      })().catch(() => {});
      return match[1]!;
    }
  }
  throw new Error(`chromium did not print its DevTools URL: ${text.slice(-500)}`);
}

interface Cdp {
  send<T>(method: string, params?: unknown, sessionId?: string): Promise<T>;
  close(): void;
}

function connect(url: string): Promise<Cdp> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let next = 1;
    const pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data));
      const waiter = pending.get(message.id);
      if (waiter === undefined) return;
      pending.delete(message.id);
      if (message.error) waiter.fail(new Error(JSON.stringify(message.error)));
      else waiter.ok(message.result);
    };
    ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
    ws.onopen = () =>
      resolve({
        send<T>(method: string, params: unknown = {}, sessionId?: string) {
          const id = next++;
          ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
          return new Promise<T>((ok, fail) =>
            pending.set(id, { ok: ok as (v: unknown) => void, fail })
          );
        },
        close() {
          for (const w of pending.values()) w.fail(new Error("closed"));
          ws.close();
        },
      });
  });
}

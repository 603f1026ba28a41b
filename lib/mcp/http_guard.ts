/**
 * The checks in front of the HTTP transport, as pure functions: which addresses count as
 * loopback, bearer-key comparison in constant time, and the Origin and Host validation the
 * MCP specification asks for against DNS rebinding.
 */

/** Whether `host` (a bind address or a Host header's name) only reaches this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost" || h.endsWith(".localhost") || h === "::1") return true;
  if (h === "0:0:0:0:0:0:0:1" || h === "::ffff:127.0.0.1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The host name of a `Host` header value (`[::1]:8080` → `::1`, `a.b:80` → `a.b`). */
export function hostNameOf(hostHeader: string): string {
  const h = hostHeader.trim();
  if (h.startsWith("[")) return h.slice(1, h.indexOf("]") > 0 ? h.indexOf("]") : undefined);
  const colon = h.lastIndexOf(":");
  return colon > 0 && h.indexOf(":") === colon ? h.slice(0, colon) : h;
}

const encoder = new TextEncoder();

/** Compares a given string with a secret in time that depends only on the given length. */
export function constantTimeEqual(given: string, secret: string): boolean {
  const x = encoder.encode(given);
  const y = encoder.encode(secret);
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ (y[i] ?? 0);
  return diff === 0;
}

/** Whether an `Authorization` header carries `Bearer <key>`. */
export function bearerMatches(header: string | null, key: string): boolean {
  if (header === null) return false;
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return m !== null && constantTimeEqual(m[1]!, key);
}

/** Normalises an origin (`HTTP://Example.com:443/` → `http://example.com:443`); null if invalid. */
export function normaliseOrigin(text: string): string | null {
  try {
    const url = new URL(text.trim());
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return `${url.protocol}//${url.host}`;
  } catch {
    return null;
  }
}

/**
 * Whether a request's `Origin` may use the server: absent (not a browser) is allowed; a
 * browser page is allowed when served from this machine (localhost, 127.0.0.1, [::1]) or
 * when its origin is in `allowed`. Anything else, including `null`, is refused (403).
 */
export function originAllowed(origin: string | null, allowed: readonly string[] = []): boolean {
  if (origin === null) return true;
  const normal = normaliseOrigin(origin);
  if (normal === null) return false;
  if (allowed.some((a) => normaliseOrigin(a) === normal)) return true;
  return isLoopbackHost(new URL(normal).hostname);
}

/**
 * Whether a request's `Host` header fits the bind address: a server bound to loopback only
 * answers loopback names, so a DNS-rebound name pointing at 127.0.0.1 is refused.
 */
export function hostAllowed(hostHeader: string | null, boundToLoopback: boolean): boolean {
  if (!boundToLoopback) return true;
  if (hostHeader === null) return false;
  return isLoopbackHost(hostNameOf(hostHeader));
}

/** The shortest API key accepted when serving beyond loopback (`openssl rand -hex 32` gives 64). */
export const MIN_REMOTE_KEY_LENGTH = 32;

/**
 * What is wrong with an API key, or null when it will do: a key must be visible ASCII without
 * spaces (it travels in an `Authorization` header), and beyond loopback at least
 * {@link MIN_REMOTE_KEY_LENGTH} characters that are not one short pattern repeated.
 */
export function apiKeyProblem(key: string, options: { loopback: boolean }): string | null {
  if (key.trim() === "") return "is empty or only whitespace";
  if (!/^[\x21-\x7e]+$/.test(key)) {
    return "contains spaces or characters that cannot be sent in an Authorization header";
  }
  if (options.loopback) return null;
  if (key.length < MIN_REMOTE_KEY_LENGTH) {
    return `is ${key.length} characters long; serving beyond loopback needs at least ` +
      `${MIN_REMOTE_KEY_LENGTH}`;
  }
  if (new Set(key).size < 5) return "repeats too few distinct characters to be guessed hard";
  return null;
}

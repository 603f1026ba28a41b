/**
 * Secret redaction. Every secret the program learns (the Intercom token, MCP API keys) is
 * registered here; log formatters, error rendering and exports pass their text through
 * {@link redactText}, so a secret never reaches a log line, an error message or stdout.
 */

const REPLACEMENT = "[REDACTED]";
const secrets = new Set<string>();
let secretPattern: RegExp | null = null;

/** Field names whose values are always hidden, whatever they hold. */
const SECRET_FIELD = /^(access_?token|token|api_?key|authorization|password|secret)$/i;
/** `Bearer abc…` and `Authorization: …` even for secrets that were never registered. */
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=:-]+/gi;
const AUTH_HEADER = /\b(Authorization["']?\s*[:=]\s*["']?)(?!Bearer\b)[^"',\s}]+/gi;

/** Registers a secret so that {@link redactText} hides it. Values shorter than 4 chars are ignored. */
export function registerSecret(value: string | null | undefined): void {
  if (!value || value.length < 4 || secrets.has(value)) return;
  secrets.add(value);
  const escaped = [...secrets]
    .sort((a, b) => b.length - a.length)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  secretPattern = new RegExp(escaped.join("|"), "g");
}

/** Forgets every registered secret (tests). */
export function clearSecrets(): void {
  secrets.clear();
  secretPattern = null;
}

/** Replaces registered secrets, bearer tokens and Authorization header values with `[REDACTED]`. */
export function redactText(text: string): string {
  let out = secretPattern ? text.replace(secretPattern, REPLACEMENT) : text;
  if (out.includes("earer") || out.includes("uthorization")) {
    out = out.replace(BEARER, `$1 ${REPLACEMENT}`).replace(AUTH_HEADER, `$1${REPLACEMENT}`);
  }
  return out;
}

/** A deep copy of `value` with secret-named fields hidden and secret strings redacted. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object" || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value instanceof Error) return redactText(String(value));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_FIELD.test(key) && v !== null && v !== undefined && v !== ""
      ? REPLACEMENT
      : redactValue(v, depth + 1);
  }
  return out;
}

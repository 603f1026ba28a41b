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
/**
 * What text needs before {@link BEARER} and {@link AUTH_HEADER} are tried (as written: "earer",
 * "uthorization"); one regular expression finds either 3–4× faster than two `includes`.
 */
const BEARER_HINT = /earer|uthorization/;
/**
 * A value assigned to a secret-named setting (`api_key=…`, `"password": "…"`, `--api-key …`),
 * registered or not: where a short secret is recognisably a secret.
 */
const ASSIGNMENT =
  /(\b(?:api[_-]?key|access[_-]?token|password|secret)["']?\s*[:=]\s*["']?|--(?:api-key|token)(?:\s+|=)["']?)[^"',\s}]+/gi;
/** What every {@link ASSIGNMENT} match contains: text without it needs no replacing pass. */
const ASSIGNMENT_HINT =
  /(?:api[_-]?key|access[_-]?token|password|secret)["']?\s*[:=]|--(?:api-key|token)[\s=]/i;

/**
 * Whether a registered secret is distinctive enough to hide wherever it appears: 20+
 * characters, or 8+ mixing letters, digits and symbols. A short plain word (a key `order`)
 * would otherwise turn "Could you check order #4821" into "[REDACTED]"; such a secret is
 * hidden only where the text marks it as one (Bearer, Authorization, `api_key=`).
 */
function distinctive(value: string): boolean {
  if (value.length >= 20) return true;
  if (value.length < 8) return false;
  const classes = [/[A-Za-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
  return classes >= 2;
}

/**
 * Registers a secret so that {@link redactText} hides it: everywhere when it is distinctive,
 * else where the text marks it as a secret. Values shorter than 4 chars are ignored.
 */
export function registerSecret(value: string | null | undefined): void {
  if (!value || value.length < 4 || secrets.has(value)) return;
  secrets.add(value);
  const escaped = [...secrets]
    .filter(distinctive)
    .sort((a, b) => b.length - a.length)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  secretPattern = escaped.length === 0 ? null : new RegExp(escaped.join("|"), "g");
}

/** Forgets every registered secret (tests). */
export function clearSecrets(): void {
  secrets.clear();
  secretPattern = null;
}

/**
 * Replaces distinctive registered secrets, bearer tokens, Authorization header values and
 * values of secret-named settings with `[REDACTED]`.
 */
export function redactText(text: string): string {
  let out = secretPattern ? text.replace(secretPattern, REPLACEMENT) : text;
  if (BEARER_HINT.test(out)) {
    out = out.replace(BEARER, `$1 ${REPLACEMENT}`).replace(AUTH_HEADER, `$1${REPLACEMENT}`);
  }
  if (ASSIGNMENT_HINT.test(out)) {
    out = out.replace(
      ASSIGNMENT,
      (match, prefix: string) =>
        match.slice(prefix.length) === REPLACEMENT ? match : `${prefix}${REPLACEMENT}`,
    );
  }
  return out;
}

/**
 * `value` with secret-named fields hidden and secret strings redacted. Arrays and plain
 * objects are copied only where something changed (a tool result is mostly text without
 * secrets, and copying all of it cost more than checking it); other objects become plain
 * copies, as before.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object" || depth > 8) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const redacted = redactValue(item, depth + 1);
      if (copy === null && redacted !== item) copy = value.slice(0, i);
      copy?.push(redacted);
    }
    return copy ?? value;
  }
  if (value instanceof Error) return redactText(String(value));
  const prototype = Object.getPrototypeOf(value);
  const plain = prototype === Object.prototype || prototype === null;
  let copy: Record<string, unknown> | null = plain ? null : {};
  const entries = Object.entries(value);
  for (let i = 0; i < entries.length; i++) {
    const [key, v] = entries[i]!;
    const redacted = SECRET_FIELD.test(key) && v !== null && v !== undefined && v !== ""
      ? REPLACEMENT
      : redactValue(v, depth + 1);
    if (copy === null && redacted !== v) {
      copy = {};
      for (let j = 0; j < i; j++) copy[entries[j]![0]] = entries[j]![1];
    }
    if (copy !== null) copy[key] = redacted;
  }
  return copy ?? value;
}

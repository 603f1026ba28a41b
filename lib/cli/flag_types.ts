/** Pure parsers for flag values: text in, typed value out, or a UsageError naming the fix. */
import { UsageError } from "../errors.ts";
import { registerSecret } from "../logging/redact.ts";

/** Options for {@link integerFlag}. */
export interface IntegerFlagOptions {
  /** Smallest accepted value. Default: 0. */
  min?: number;
  /** Largest accepted value. Default: Number.MAX_SAFE_INTEGER. */
  max?: number;
}

/** A parser for a whole-number flag such as `--days 7`. */
export function integerFlag(
  flag: string,
  options: IntegerFlagOptions = {},
): (text: string) => number {
  const min = options.min ?? 0;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  return (text) => {
    const trimmed = text.trim();
    const value = /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
      throw new UsageError(`${flag} "${text}" is not valid: use a whole number ${range}`);
    }
    return value;
  };
}

/** A parser for a flag that takes one of a fixed set of words. */
export function choiceFlag<T extends string>(
  flag: string,
  choices: readonly T[],
): (text: string) => T {
  return (text) => {
    const value = text.trim().toLowerCase() as T;
    if (!choices.includes(value)) {
      throw new UsageError(`${flag} "${text}" is not valid: use one of ${choices.join(", ")}`);
    }
    return value;
  };
}

/**
 * A parser for a webhook URL flag (`--alert-webhook`): an http(s) URL. The value is a secret
 * (chat webhooks carry a token in it), so the error does not repeat it.
 */
export function webhookUrlFlag(flag: string): (text: string) => string {
  return (text) => {
    const value = text.trim();
    if (!URL.canParse(value) || !/^https?:\/\//i.test(value)) {
      throw new UsageError(
        `${flag} is not an http:// or https:// URL: pass the webhook's full URL`,
      );
    }
    registerSecret(value);
    return value;
  };
}

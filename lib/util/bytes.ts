/**
 * Byte helpers for reading files in blocks. Our own: `@std/bytes` (`concat`) is on JSR only and
 * not reachable from the npm registry; `Buffer.concat` would hand back a `Buffer`, whose `slice`
 * is a view instead of a copy, which the line readers rely on.
 */

/** `a` followed by `b`; returns one of them unchanged (no copy) when the other is empty. */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

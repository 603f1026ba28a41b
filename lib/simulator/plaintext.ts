/**
 * HTML → plain text, the way `display_as=plaintext` renders part bodies: paragraphs and
 * `<br>` become newlines, links keep their text, tags are dropped and entities decoded.
 */

import { decodeEntities } from "../util/html_entities.ts";

export { decodeEntities };

const cache = new Map<string, string>();
const CACHE_LIMIT = 10_000;

/** The plain-text form of an HTML body; memoised because bodies repeat across parts. */
export function htmlToPlaintext(html: string): string {
  const hit = cache.get(html);
  if (hit !== undefined) return hit;
  const text = decodeEntities(
    html
      .replace(/<br\s*\/?>/gi, "\n")
      .replace(/<\/p>\s*<p[^>]*>/gi, "\n")
      .replace(/<[^>]*>/g, ""),
  ).trim();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(html, text);
  return text;
}

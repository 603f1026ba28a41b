/**
 * HTML → plain text, the way `display_as=plaintext` renders part bodies: paragraphs and
 * `<br>` become newlines, links keep their text, tags are dropped and entities decoded.
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  hellip: "…",
  mdash: "—",
  ndash: "–",
};

const cache = new Map<string, string>();
const CACHE_LIMIT = 10_000;

/** Decodes named (`&amp;`) and numeric (`&#39;`, `&#x1F600;`) entities; unknown ones stay. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X"
        ? parseInt(name.slice(2), 16)
        : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

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

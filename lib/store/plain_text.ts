/**
 * Makes message bodies plain text. The sync asks Intercom for `display_as=plaintext`, but
 * some bodies (sources, older parts) still arrive as HTML; storing them as text keeps the
 * full-text index and snippets free of markup.
 */
import { decodeEntities } from "../util/html_entities.ts";

const HTML_TAG =
  /<\/?(?:p|br|div|span|a|b|i|u|em|strong|ul|ol|li|img|h[1-6]|blockquote|pre|code|table|tr|td|th)\b[^>]*>/i;
const LINE_BREAK = /<br\b[^>]*>|<\/(?:p|div|li|h[1-6]|blockquote|pre|tr)\s*>/gi;
const ANY_TAG = /<\/?[a-z][a-z0-9]*\b[^>]*>/gi;
/**
 * `body` as plain text: HTML (recognised by common tags) loses its markup, `<br>` and the end
 * of a block become line breaks and entities are decoded; text that is not HTML is returned unchanged.
 */
export function toPlainText(body: string | null): string | null {
  if (body === null || !HTML_TAG.test(body)) return body;
  const text = decodeEntities(body.replace(LINE_BREAK, "\n").replace(ANY_TAG, ""));
  return text.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
}

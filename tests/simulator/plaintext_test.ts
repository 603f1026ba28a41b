import assert from "node:assert/strict";
import { decodeEntities, htmlToPlaintext } from "../../lib/simulator/plaintext.ts";

Deno.test("htmlToPlaintext() turns paragraphs and <br> into newlines and keeps link text", () => {
  const html =
    '<p>Hi &amp; welcome<br>See <a href="https://x.example">the guide</a>.</p><p>Bye 👋</p>';
  assert.equal(htmlToPlaintext(html), "Hi & welcome\nSee the guide.\nBye 👋");
});

Deno.test("htmlToPlaintext() keeps non-Latin text and decodes &nbsp; to a space", () => {
  assert.equal(
    htmlToPlaintext("<p>ログイン&nbsp;Спасибо</p><p>مرحبا</p>"),
    "ログイン Спасибо\nمرحبا",
  );
});

Deno.test("decodeEntities() decodes named and numeric entities and leaves unknown ones", () => {
  assert.equal(
    decodeEntities("&lt;b&gt; &quot;x&quot; &#39;y&#39; &#x1F600; &bogus;"),
    "<b> \"x\" 'y' 😀 &bogus;",
  );
});

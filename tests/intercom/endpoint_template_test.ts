import assert from "node:assert/strict";
import { endpointTemplate } from "../../lib/intercom/endpoint_template.ts";

Deno.test("endpointTemplate() replaces ids with {id} and keeps the API's fixed words", () => {
  const cases: [string, string, string][] = [
    ["GET", "/me", "GET /me"],
    ["GET", "/admins", "GET /admins"],
    ["GET", "/conversations/215?display_as=plaintext", "GET /conversations/{id}"],
    ["GET", "/contacts/6575e3b1b2c5a2f1a6a1b2c3", "GET /contacts/{id}"],
    ["GET", "/contacts/abcdef", "GET /contacts/{id}"],
    ["POST", "/conversations/search", "POST /conversations/search"],
    ["POST", "/contacts/search", "POST /contacts/search"],
    ["GET", "/conversations?per_page=150", "GET /conversations"],
    ["GET", "/unknown/12345/parts", "GET /unknown/{id}/parts"],
  ];
  for (const [method, path, expected] of cases) {
    assert.equal(endpointTemplate(method, path), expected, path);
  }
});

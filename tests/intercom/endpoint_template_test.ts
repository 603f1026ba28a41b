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
    ["POST", "/tickets/search", "POST /tickets/search"],
    ["GET", "/tickets/4821", "GET /tickets/{id}"],
    ["GET", "/companies/scroll?scroll_param=abc-1", "GET /companies/scroll"],
    ["POST", "/companies/list?page=2", "POST /companies/list"],
    ["GET", "/companies/beefcafe", "GET /companies/{id}"],
    ["GET", "/ticket_types", "GET /ticket_types"],
    ["GET", "/data_attributes?model=company", "GET /data_attributes"],
  ];
  for (const [method, path, expected] of cases) {
    assert.equal(endpointTemplate(method, path), expected, path);
  }
});

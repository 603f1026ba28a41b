// deno-lint-ignore-file no-console
/**
 * Vendors the part of Intercom's OpenAPI description the conformance tests need:
 *
 *   deno run -A scripts/vendor_openapi.ts <path/to/2.11.yaml> [<commit>]
 *
 * Writes `tests/_fixtures/intercom_openapi/intercom_2.11.json`: the operations the client calls (their
 * parameters, request examples, responses with schemas and examples, and descriptions) and
 * every component schema they reach, unchanged. Tests read only that file, never the YAML.
 * Intercom's description is MIT-licensed (Copyright (c) 2022 Intercom, Inc.); the licence
 * travels next to the vendored file as `LICENSE.md`.
 */
import { parse } from "yaml";

/** The operations the client uses, as [path, method]. */
export const VENDORED_OPERATIONS: readonly (readonly [string, string])[] = [
  ["/me", "get"],
  ["/conversations/search", "post"],
  ["/conversations", "get"],
  ["/conversations/{conversation_id}", "get"],
  ["/contacts/search", "post"],
  ["/contacts", "get"],
  ["/contacts/{contact_id}", "get"],
  ["/contacts/merge", "post"],
  ["/admins", "get"],
  ["/teams", "get"],
  ["/tags", "get"],
  ["/tickets/search", "post"],
  ["/tickets/{ticket_id}", "get"],
  ["/ticket_types", "get"],
  ["/companies/scroll", "get"],
  ["/companies/list", "post"],
  ["/companies/{company_id}", "get"],
  ["/data_attributes", "get"],
];

// deno-lint-ignore no-explicit-any
type Json = any;

function collectRefs(value: Json, found: Set<string>, schemas: Record<string, Json>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, found, schemas);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    if (key === "$ref" && typeof child === "string") {
      const name = child.split("/").pop() ?? "";
      if (found.has(name)) continue;
      found.add(name);
      if (schemas[name] !== undefined) collectRefs(schemas[name], found, schemas);
    } else {
      collectRefs(child, found, schemas);
    }
  }
}

/** The vendored subset of `doc`. */
export function vendorSubset(doc: Json, source: Record<string, string>): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const found = new Set<string>(["intercom_version"]);
  for (const [path, method] of VENDORED_OPERATIONS) {
    const operation = doc.paths?.[path]?.[method];
    if (operation === undefined) throw new RangeError(`The description has no ${method} ${path}`);
    (paths[path] ??= {})[method] = operation;
    collectRefs(operation, found, doc.components.schemas);
  }
  const schemas: Record<string, Json> = {};
  for (const name of [...found].sort()) {
    if (doc.components.schemas[name] !== undefined) schemas[name] = doc.components.schemas[name];
  }
  return {
    "x-vendored": {
      ...source,
      licence: "MIT, Copyright (c) 2022 Intercom, Inc. (see LICENSE.md beside this file)",
      by: "scripts/vendor_openapi.ts",
    },
    openapi: doc.openapi,
    info: doc.info,
    paths,
    components: { schemas },
  };
}

if (import.meta.main) {
  const [input, commit = "unknown"] = Deno.args;
  if (!input) {
    console.error("usage: deno run -A scripts/vendor_openapi.ts <path/to/2.11.yaml> [<commit>]");
    Deno.exit(2);
  }
  const doc = parse(await Deno.readTextFile(input));
  const subset = vendorSubset(doc, {
    from: "intercom/Intercom-OpenAPI descriptions/2.11/api.intercom.io.yaml",
    commit,
  });
  const out = new URL("../tests/_fixtures/intercom_openapi/intercom_2.11.json", import.meta.url);
  const tmp = new URL(
    "../tests/_fixtures/intercom_openapi/intercom_2.11.json.tmp",
    import.meta.url,
  );
  await Deno.mkdir(new URL(".", out), { recursive: true });
  await Deno.writeTextFile(tmp, JSON.stringify(subset, null, 2) + "\n");
  await Deno.rename(tmp, out);
  console.log(
    `wrote ${out.pathname}: ${Object.keys(subset.paths).length} paths, ` +
      `${Object.keys(subset.components.schemas).length} schemas`,
  );
}

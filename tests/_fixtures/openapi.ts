/**
 * Validation against Intercom's published OpenAPI description (2.11, vendored in `intercom_openapi/`,
 * MIT, Copyright (c) 2022 Intercom, Inc.) with ajv. OpenAPI 3.0's `nullable` is turned into
 * JSON Schema (`anyOf` with `null`, also beside `$ref`, where 3.0 tools ignore it but the
 * description clearly means it).
 *
 * Where the description is wrong about the real API, {@link EXCEPTIONS} patches it; each entry
 * says why and names its evidence (an example of the description that fails the schema, or the
 * description's own words), and a test checks that evidence still holds.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import description from "./intercom_openapi/intercom_2.11.json" with { type: "json" };

// deno-lint-ignore no-explicit-any
type Json = any;

/** Why an exception exists. */
export type Evidence =
  /** This example of the description fails the unpatched schema. */
  | { example: { method: string; path: string; status: string; name: string } }
  /** The description says so in these words (in a description text of the vendored file). */
  | { prose: string }
  /** The `example` the description gives for this property fails the property's own schema. */
  | { propertyExample: string }
  /** The description references the schema without defining it. */
  | { dangling: string }
  /** Observed in practice and noted in the reference (no example in the description shows it). */
  | { practice: string };

/** One correction of the description. */
export interface OpenApiException {
  /** Component schema patched. */
  schema: string;
  /** What the patch allows. */
  allows: string;
  evidence: Evidence;
  patch(schema: Json): Json;
}

const nullable = (schema: Json, ...props: string[]) => {
  for (const p of props) schema.properties[p] = { ...schema.properties[p], nullable: true };
  return schema;
};
const optional = (schema: Json, ...props: string[]) => {
  schema.required = (schema.required ?? []).filter((r: string) => !props.includes(r));
  return schema;
};
const relativeUrl = (schema: Json) => {
  schema.properties.url = { ...schema.properties.url, format: "uri-reference" };
  return schema;
};
const listOf = (item: string) => ({
  type: "object",
  properties: {
    type: { type: "string", enum: ["list"] },
    data: { type: "array", items: { $ref: `#/components/schemas/${item}` } },
  },
  required: ["type", "data"],
});
const conversationExamples: Record<string, Evidence> = {
  conversation: {
    example: {
      method: "get",
      path: "/conversations/{conversation_id}",
      status: "200",
      name: "conversation found",
    },
  },
  conversation_list_item: {
    example: { method: "post", path: "/conversations/search", status: "200", name: "successful" },
  },
};

/**
 * The description's mistakes, as the simulator (and Intercom) answer. Keep it short: every
 * entry must name evidence, and `tests/simulator/routes_openapi_test.ts` checks each entry's evidence.
 */
export const EXCEPTIONS: readonly OpenApiException[] = [
  {
    schema: "custom_attributes",
    allows: "an object of attribute values (the description references but never defines it)",
    evidence: { dangling: "#/components/schemas/custom_attributes" },
    patch: () => ({ type: "object" }),
  },
  {
    schema: "admin_with_app",
    allows: "GET /me without job_title, away_mode_enabled, away_mode_reassign or team_ids",
    evidence: {
      example: { method: "get", path: "/me", status: "200", name: "Successful response" },
    },
    patch: (s) => optional(s, "job_title", "away_mode_enabled", "away_mode_reassign", "team_ids"),
  },
  {
    schema: "admin",
    allows: "an admin without job_title",
    evidence: {
      example: { method: "get", path: "/admins", status: "200", name: "Successful response" },
    },
    patch: (s) => optional(s, "job_title"),
  },
  {
    schema: "tag",
    allows: "a tag without applied_at/applied_by (GET /tags lists tags, not applications)",
    evidence: { example: { method: "get", path: "/tags", status: "200", name: "successful" } },
    patch: (s) => optional(s, "applied_at", "applied_by"),
  },
  ...["conversation_list_item", "conversation"].map((schema) => ({
    schema,
    allows: "null statistics, teammates, conversation_rating and first_contact_reply",
    evidence: conversationExamples[schema]!,
    patch: (s: Json) =>
      nullable(s, "statistics", "teammates", "conversation_rating", "first_contact_reply"),
  })),
  ...["contact_tags", "contact_notes", "contact_companies"].map((schema) => ({
    schema,
    allows: "relative `url`s such as /contacts/{id}/tags",
    evidence: {
      example: { method: "get", path: "/contacts/{contact_id}", status: "200", name: "successful" },
    },
    patch: relativeUrl,
  })),
  {
    schema: "addressable_list",
    allows: "a relative `url` such as /contacts/{id}/notes",
    evidence: { propertyExample: "url" },
    patch: relativeUrl,
  },
  {
    schema: "addressable_list",
    allows: '`type` as an object type ("tag", "note"), not a URI',
    evidence: { propertyExample: "type" },
    patch: (s) => {
      s.properties.type = { type: "string" };
      return s;
    },
  },
  {
    schema: "conversation_part_author",
    allows: "a blank author: {} or id/name/email empty or null, email not an address",
    evidence: { prose: "For Twitter, this will be blank." },
    patch: (s) => {
      s.required = [];
      s.properties.email = { type: "string", nullable: true };
      return nullable(s, "type", "id");
    },
  },
  {
    schema: "conversation_statistics",
    allows: "null times and durations for what has not happened (never closed, never assigned)",
    evidence: {
      practice: "Intercom sends null statistics fields; see the reference README's weak spots",
    },
    patch: (s) => {
      for (const name of Object.keys(s.properties)) {
        if (name !== "type") s.properties[name] = { ...s.properties[name], nullable: true };
      }
      return s;
    },
  },
  {
    schema: "ticket_part",
    allows: "a ticket part without `body` (state changes carry none)",
    evidence: {
      example: { method: "get", path: "/tickets/{ticket_id}", status: "200", name: "Ticket found" },
    },
    patch: (s) => optional(s, "body"),
  },
  {
    schema: "ticket_type_attribute_list",
    allows: '{type: "list", data: [...]} (the shape every example of a ticket type shows)',
    evidence: {
      example: { method: "get", path: "/tickets/{ticket_id}", status: "200", name: "Ticket found" },
    },
    patch: () => listOf("ticket_type_attribute"),
  },
  {
    schema: "ticket_type_attribute",
    allows: "`input_options: null` (attributes that are not lists)",
    evidence: {
      example: { method: "get", path: "/ticket_types", status: "200", name: "successful" },
    },
    patch: (s) => nullable(s, "input_options"),
  },
  {
    schema: "ticket_type_list",
    allows: '{type: "list", data: [...]} as GET /ticket_types answers',
    evidence: {
      example: { method: "get", path: "/ticket_types", status: "200", name: "successful" },
    },
    patch: () => listOf("ticket_type"),
  },
  {
    schema: "company",
    allows: "a company without last_request_at, size, website or industry (never set)",
    evidence: {
      example: {
        method: "get",
        path: "/companies/{company_id}",
        status: "200",
        name: "Successful",
      },
    },
    patch: (s) => optional(s, "last_request_at", "size", "website", "industry"),
  },
  {
    schema: "company_scroll",
    allows: "`pages: null` on a scroll page",
    evidence: {
      example: { method: "get", path: "/companies/scroll", status: "200", name: "Successful" },
    },
    patch: (s) => nullable(s, "pages"),
  },
  {
    schema: "contact_company",
    allows: "a relative `url` such as /companies/{id}",
    evidence: { propertyExample: "url" },
    patch: relativeUrl,
  },
  {
    schema: "data_attribute",
    allows: 'model "conversation" (GET /data_attributes?model=conversation lists them)',
    evidence: {
      prose: "data attributes belonging to a workspace for contacts, companies or conversations",
    },
    patch: (s) => {
      s.properties.model = { type: "string", enum: ["contact", "company", "conversation"] };
      return s;
    },
  },
  {
    schema: "starting_after_paging",
    allows: "pages.next as {page, starting_after} without per_page",
    evidence: {
      practice:
        "responses reuse the request model; Intercom's pagination guide shows next without per_page",
    },
    patch: (s) => {
      s.properties.page = { type: "integer" };
      return optional(s, "per_page");
    },
  },
];

function toJsonSchema(value: Json): Json {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (value === null || typeof value !== "object") return value;
  const out: Json = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === "nullable" || key === "example" || key === "x-tags") continue;
    out[key] = key === "properties"
      ? Object.fromEntries(Object.entries(child as Json).map(([k, v]) => [k, toJsonSchema(v)]))
      : toJsonSchema(child);
  }
  return value.nullable === true ? { anyOf: [{ type: "null" }, out] } : out;
}

/** The vendored description (parsed JSON, unpatched). */
export const DESCRIPTION: Json = description;

/** Component schemas as JSON Schema, with or without the exceptions. */
export function componentSchemas(options: { exceptions?: readonly OpenApiException[] } = {}) {
  const schemas: Json = structuredClone(DESCRIPTION.components.schemas);
  for (const exception of options.exceptions ?? EXCEPTIONS) {
    schemas[exception.schema] = exception.patch(structuredClone(schemas[exception.schema] ?? {}));
  }
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [name, toJsonSchema(schema)]),
  );
}

/** ajv-formats' formats, and "timestamp" (the description's name for Unix seconds: any integer). */
function addFormatsTo(ajv: Ajv): void {
  // ajv-formats' default export is the plugin; its typings differ between module systems.
  (addFormats as unknown as (ajv: Ajv) => void)(ajv);
  ajv.addFormat("timestamp", true);
}

/** Errors of the `example` the description gives for `schema.property` against that property. */
export function propertyExampleErrors(schema: string, property: string): ErrorObject[] {
  const spec = DESCRIPTION.components.schemas[schema]?.properties?.[property];
  if (spec === undefined || !("example" in spec)) {
    throw new RangeError(`The description gives no example for ${schema}.${property}`);
  }
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormatsTo(ajv);
  const validate = ajv.compile(toJsonSchema(spec));
  return validate(spec.example) ? [] : [...(validate.errors ?? [])];
}

/** Validates bodies against the schemas of the vendored operations' responses. */
export class ResponseValidator {
  readonly #ajv: Ajv;
  readonly #cache = new Map<string, ValidateFunction>();

  constructor(options: { exceptions?: readonly OpenApiException[] } = {}) {
    this.#ajv = new Ajv({ strict: false, allErrors: true });
    addFormatsTo(this.#ajv);
    this.#ajv.addSchema({ $id: "intercom", components: { schemas: componentSchemas(options) } });
  }

  /** The `$ref` of the schema the description gives for a response. */
  static schemaRef(method: string, path: string, status: string): string {
    const response = DESCRIPTION.paths[path]?.[method]?.responses?.[status];
    const ref = response?.content?.["application/json"]?.schema?.$ref;
    if (typeof ref !== "string") {
      throw new RangeError(`The description has no JSON schema for ${method} ${path} ${status}`);
    }
    return ref;
  }

  /** Errors of `body` against the component schema `ref` ("#/components/schemas/x"). */
  errors(ref: string, body: unknown): ErrorObject[] {
    let validate = this.#cache.get(ref);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: `intercom${ref}` });
      this.#cache.set(ref, validate);
    }
    return validate(body) ? [] : [...(validate.errors ?? [])];
  }
}

/** One line per error, e.g. "/conversations/0/source/author: must be object". */
export function formatErrors(errors: readonly ErrorObject[]): string {
  return errors
    .map((e) => `${e.instancePath || "(body)"}: ${e.message} ${JSON.stringify(e.params)}`)
    .join("\n");
}

/**
 * The simulator against Intercom's published contract: every response the client uses is
 * validated against the OpenAPI 2.11 schemas (vendored, see `tests/_fixtures/openapi.ts`), and the
 * description's own examples keep the exception list honest.
 */
import assert from "node:assert/strict";
import {
  DESCRIPTION,
  EXCEPTIONS,
  formatErrors,
  type OpenApiException,
  propertyExampleErrors,
  ResponseValidator,
} from "../_fixtures/openapi.ts";
import { AUTH, getJson, NOW, postJson, withSimulator } from "./_fixtures.ts";
import type { SimContact, Simulator } from "../../lib/simulator/mod.ts";

const validator = new ResponseValidator();

interface Example {
  method: string;
  path: string;
  status: string;
  name: string;
  ref: string;
  value: unknown;
}

function descriptionExamples(): Example[] {
  const examples: Example[] = [];
  // deno-lint-ignore no-explicit-any
  for (const [path, methods] of Object.entries<any>(DESCRIPTION.paths)) {
    // deno-lint-ignore no-explicit-any
    for (const [method, operation] of Object.entries<any>(methods)) {
      // deno-lint-ignore no-explicit-any
      for (const [status, response] of Object.entries<any>(operation.responses ?? {})) {
        const content = response.content?.["application/json"];
        if (typeof content?.schema?.$ref !== "string") continue;
        for (const [name, example] of Object.entries<{ value: unknown }>(content.examples ?? {})) {
          examples.push({
            method,
            path,
            status,
            name,
            ref: content.schema.$ref,
            value: example.value,
          });
        }
      }
    }
  }
  return examples;
}

Deno.test("the description's own examples pass its schemas once the exceptions are applied", () => {
  const examples = descriptionExamples();
  assert.ok(examples.length >= 10, `only ${examples.length} examples vendored`);
  for (const ex of examples) {
    const errors = validator.errors(ex.ref, ex.value);
    assert.deepEqual(
      errors,
      [],
      `${ex.method} ${ex.path} ${ex.status} "${ex.name}":\n${formatErrors(errors)}`,
    );
  }
});

function without(exception: OpenApiException): ResponseValidator {
  return new ResponseValidator({ exceptions: EXCEPTIONS.filter((e) => e !== exception) });
}

Deno.test("every OpenAPI exception is backed by its evidence", () => {
  const text = JSON.stringify(DESCRIPTION);
  const examples = descriptionExamples();
  for (const exception of EXCEPTIONS) {
    const { evidence } = exception;
    const label = `exception on ${exception.schema} (${exception.allows})`;
    if ("example" in evidence) {
      const { method, path, status, name } = evidence.example;
      const example = examples.find((e) =>
        e.method === method && e.path === path && e.status === status && e.name === name
      );
      assert.ok(example, `${label}: no example "${name}" for ${method} ${path} ${status}`);
      const errors = without(exception).errors(example.ref, example.value);
      assert.ok(errors.length > 0, `${label}: the example passes without it; drop the exception`);
    } else if ("prose" in evidence) {
      assert.ok(text.includes(evidence.prose), `${label}: the description no longer says it`);
    } else if ("propertyExample" in evidence) {
      const errors = propertyExampleErrors(exception.schema, evidence.propertyExample);
      assert.ok(errors.length > 0, `${label}: the property's example passes its schema`);
    } else if ("dangling" in evidence) {
      assert.ok(text.includes(`"${evidence.dangling}"`), `${label}: no longer referenced`);
      const name = evidence.dangling.split("/").pop() ?? "";
      assert.equal(DESCRIPTION.components.schemas[name], undefined, `${label}: now defined`);
    } else {
      assert.ok(evidence.practice.length > 20, `${label}: say what was observed`);
    }
  }
});

// deno-lint-ignore no-explicit-any
type Body = any;

function assertValid(what: string, ref: string, body: unknown): void {
  const errors = validator.errors(ref, body);
  assert.ok(errors.length === 0, `${what} does not match ${ref}:\n${formatErrors(errors)}`);
}

function assertResponse(method: string, path: string, status: number, body: unknown): void {
  assertValid(
    `${method.toUpperCase()} ${path} ${status}`,
    ResponseValidator.schemaRef(method, path, String(status)),
    body,
  );
}

const ERROR_REF = "#/components/schemas/error";

async function searchAll(sim: Simulator, path: string, query: unknown, perPage: number) {
  const pages: Body[] = [];
  let cursor: string | undefined;
  do {
    const pagination: Record<string, unknown> = { per_page: perPage };
    if (cursor) pagination.starting_after = cursor;
    const reply = await postJson(sim, path, { query, pagination });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    pages.push(reply.body);
    cursor = reply.body.pages?.next?.starting_after;
  } while (cursor);
  return pages;
}

/** Gives a few conversations each odd shape the description allows, and merges a contact. */
function oddShapes(sim: Simulator): SimContact {
  const [a, b, c, d, e, f] = sim.workspace.conversations;
  a!.quirks = { nullStatistics: true };
  b!.quirks = { nullTeammates: true };
  c!.quirks = { nullTeammateIds: true };
  d!.source.author = { ...d!.source.author, blank: "empty" };
  e!.source.author = { ...e!.source.author, blank: "nulls" };
  f!.source.author = { ...f!.source.author, blank: "strings" };
  const lead = sim.workspace.contacts.find((x) => x.role === "lead")!;
  const user = sim.workspace.contacts.find((x) => x.role === "user")!;
  sim.mergeContact(lead.id, user.id);
  return lead;
}

Deno.test("simulator responses the client reads match Intercom's 2.11 schemas", async () => {
  await withSimulator({ conversations: 160, seed: 7 }, async (sim) => {
    const merged = oddShapes(sim);
    const types = new Set(
      sim.workspace.conversations.flatMap((c) => c.parts.map((p) => p.part_type)),
    );
    for (const t of ["quick_reply", "default_assignment", "assign_and_reopen"]) {
      assert.ok(types.has(t as never), `the sample has ${t} parts`);
    }
    for (const appNull of [false, true]) {
      sim.behaviour.meAppNull = appNull;
      const me = await getJson(sim, "/me");
      assert.equal(me.body.app === null, appNull);
      assertResponse("get", "/me", me.status, me.body);
    }
    for (const [path, key] of [["/admins", "admins"], ["/teams", "teams"], ["/tags", "data"]]) {
      const reply = await getJson(sim, path!);
      assert.ok(reply.body[key!].length > 0, `${path} is empty`);
      assertResponse("get", path!, reply.status, reply.body);
    }
    const since = { field: "updated_at", operator: ">", value: NOW - 40 * 86_400 };
    const conversationPages = await searchAll(sim, "/conversations/search", since, 50);
    assert.ok(conversationPages.length >= 3);
    for (const page of conversationPages) {
      assertResponse("post", "/conversations/search", 200, page);
    }
    const list = await getJson(sim, "/conversations?per_page=40");
    assertResponse("get", "/conversations", list.status, list.body);
    for (const conversation of sim.workspace.conversations) {
      for (const query of ["?display_as=plaintext", ""]) {
        const path = `/conversations/${conversation.id}${query}`;
        const reply = await getJson(sim, path);
        assertResponse("get", "/conversations/{conversation_id}", reply.status, reply.body);
      }
    }
    const roles = { field: "role", operator: "IN", value: ["user", "lead"] };
    const contactPages = await searchAll(sim, "/contacts/search", roles, 50);
    for (const page of contactPages) assertResponse("post", "/contacts/search", 200, page);
    const contacts = await getJson(sim, "/contacts?per_page=50");
    assertResponse("get", "/contacts", contacts.status, contacts.body);
    for (const contact of [merged, ...sim.workspace.contacts.slice(0, 40)]) {
      const reply = await getJson(sim, `/contacts/${contact.id}`);
      const status = contact.merged_into === undefined ? 200 : 404;
      assert.equal(reply.status, status, contact.id);
      assertValid(
        `GET /contacts/${contact.id}`,
        status === 200
          ? ResponseValidator.schemaRef("get", "/contacts/{contact_id}", "200")
          : ERROR_REF,
        reply.body,
      );
    }
  });
});

Deno.test("a conversation marked malformed breaks the schema (so it is a real contract breach)", async () => {
  await withSimulator({ conversations: 10 }, async (sim) => {
    const bad = sim.workspace.conversations[0]!;
    bad.quirks = { malformed: true };
    const reply = await getJson(sim, `/conversations/${bad.id}`);
    const ref = ResponseValidator.schemaRef("get", "/conversations/{conversation_id}", "200");
    const errors = validator.errors(ref, reply.body);
    assert.ok(errors.some((e) => e.instancePath === "/created_at"), formatErrors(errors));
    const search = await postJson(sim, "/conversations/search", {
      query: { field: "id", operator: "=", value: bad.id },
    });
    assertResponse("post", "/conversations/search", 200, search.body);
  });
});

Deno.test("an admin, a team and a tag marked malformed break the schema; the others still match it", async () => {
  await withSimulator({ conversations: 10 }, async (sim) => {
    const ws = sim.workspace;
    ws.admins[1]!.quirks = { malformed: true };
    ws.teams[0]!.quirks = { malformed: true };
    ws.tags[2]!.quirks = { malformed: true };
    for (
      const [path, key, index, field] of [
        ["/admins", "admins", 1, "team_ids"],
        ["/teams", "teams", 0, "admin_ids"],
        ["/tags", "data", 2, "name"],
      ] as const
    ) {
      const reply = await getJson(sim, path);
      const errors = validator.errors(ResponseValidator.schemaRef("get", path, "200"), reply.body);
      assert.ok(errors.length > 0, `${path} breaks the schema`);
      assert.ok(
        errors.every((e) => e.instancePath === `/${key}/${index}/${field}`),
        formatErrors(errors),
      );
    }
  });
});

Deno.test("simulator errors (400, 401, 404, 429) are Intercom error lists", async () => {
  await withSimulator(
    { conversations: 5, rateLimit: { limit: 6, windowSeconds: 60 } },
    async (sim) => {
      const bad = await postJson(sim, "/conversations/search", {
        query: { field: "nope", operator: "=", value: 1 },
      });
      assert.equal(bad.status, 400);
      assertValid("400", ERROR_REF, bad.body);
      const unauthorized = await getJson(sim, "/me", { ...AUTH, authorization: "Bearer wrong" });
      assert.equal(unauthorized.status, 401);
      assertResponse("get", "/admins", 401, unauthorized.body);
      const missing = await getJson(sim, "/conversations/404404");
      assert.equal(missing.status, 404);
      assertResponse("get", "/conversations/{conversation_id}", 404, missing.body);
      const noContact = await getJson(sim, "/contacts/nobody");
      assert.equal(noContact.status, 404);
      assertValid("GET /contacts/{id} 404", ERROR_REF, noContact.body);
      let limited = await getJson(sim, "/me");
      while (limited.status !== 429) limited = await getJson(sim, "/me");
      assertValid("429", ERROR_REF, limited.body);
    },
  );
});

/**
 * The simulator's behaviour knobs and where its routes follow the letter of Intercom's
 * description: contact-search lag, merged contacts, search ignoring `sort`, dates as strings,
 * contact date operators, calendar days in the workspace's timezone, the default rate limit.
 */
import assert from "node:assert/strict";
import { DEFAULT_RATE_LIMIT } from "../../lib/simulator/mod.ts";
import { DESCRIPTION } from "../_fixtures/openapi.ts";
import { getJson, NOW, postJson, withSimulator } from "./_fixtures.ts";

const ids = (body: { data: { id: string }[] }) => body.data.map((c) => c.id);

Deno.test("contactSearchLagSeconds keeps a new contact out of contact search, not out of GET by id", async () => {
  let now = NOW * 1000;
  await withSimulator(
    { clock: () => now, behaviour: { contactSearchLagSeconds: 180 } },
    async (sim) => {
      const late = sim.createContact({});
      assert.equal(late.created_at, NOW);
      const started = sim.startConversation({ contactId: late.id });
      const conversation = await getJson(sim, `/conversations/${started.id}`);
      assert.equal(conversation.body.contacts.contacts[0].id, late.id);
      const query = { query: { field: "id", operator: "=", value: late.id } };
      assert.deepEqual(ids((await postJson(sim, "/contacts/search", query)).body), []);
      assert.equal((await getJson(sim, `/contacts/${late.id}`)).body.id, late.id);
      now += 179_000;
      assert.deepEqual(ids((await postJson(sim, "/contacts/search", query)).body), [], "at 179 s");
      now += 1000;
      assert.deepEqual(ids((await postJson(sim, "/contacts/search", query)).body), [late.id]);
      sim.behaviour.contactSearchLagSeconds = 0;
      const other = sim.createContact({});
      const now2 = { query: { field: "id", operator: "=", value: other.id } };
      assert.deepEqual(ids((await postJson(sim, "/contacts/search", now2)).body), [other.id]);
    },
  );
});

Deno.test("a merged contact leaves contact search and list and answers 404 by id", async () => {
  await withSimulator({ conversations: 30 }, async (sim) => {
    const [from, into] = sim.workspace.contacts;
    const moved = sim.mergeContact(from!.id, into!.id);
    const query = { query: { field: "id", operator: "IN", value: [from!.id, into!.id] } };
    assert.deepEqual(ids((await postJson(sim, "/contacts/search", query)).body), [into!.id]);
    const listed = await getJson(sim, "/contacts?per_page=150");
    assert.ok(!ids(listed.body).includes(from!.id));
    assert.equal(listed.body.total_count, sim.workspace.contacts.length - 1);
    const byId = await getJson(sim, `/contacts/${from!.id}`);
    assert.equal(byId.status, 404);
    for (const id of moved) {
      const conversation = await getJson(sim, `/conversations/${id}`);
      const contactIds = conversation.body.contacts.contacts.map((c: { id: string }) => c.id);
      assert.ok(contactIds.includes(into!.id) && !contactIds.includes(from!.id));
    }
  });
});

Deno.test("conversationSearchSort 'ignored' answers newest first whatever sort asks", async () => {
  await withSimulator({ conversations: 40 }, async (sim) => {
    const body = {
      query: { field: "updated_at", operator: ">", value: 0 },
      pagination: { per_page: 10 },
      sort: { field: "updated_at", order: "ascending" },
    };
    const times = (reply: { body: { conversations: { updated_at: number }[] } }) =>
      reply.body.conversations.map((c) => c.updated_at);
    const ascending = times(await postJson(sim, "/conversations/search", body));
    assert.deepEqual(ascending, [...ascending].sort((a, b) => a - b));
    sim.behaviour.conversationSearchSort = "ignored";
    const ignored = times(await postJson(sim, "/conversations/search", body));
    assert.deepEqual(ignored, [...ignored].sort((a, b) => b - a));
    assert.notDeepEqual(ignored, ascending);
  });
});

Deno.test("conversation search takes the description's own example body, a date as a string", async () => {
  await withSimulator({ conversations: 20 }, async (sim) => {
    const example = DESCRIPTION.paths["/conversations/search"].post.requestBody.content[
      "application/json"
    ].examples.successful.value;
    assert.equal(typeof example.query.value[0].value, "string");
    const reply = await postJson(sim, "/conversations/search", example);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.total_count, 20);
    const later = await postJson(sim, "/conversations/search", {
      query: { field: "created_at", operator: ">", value: String(NOW) },
    });
    assert.equal(later.body.total_count, 0);
    const words = await postJson(sim, "/conversations/search", {
      query: { field: "created_at", operator: ">", value: "yesterday" },
    });
    assert.equal(words.status, 400);
  });
});

Deno.test("contact search rejects !=, >=, <=, IN and NIN on dates and all but = and != on tag_id", async () => {
  await withSimulator({ conversations: 10 }, async (sim) => {
    for (const operator of ["!=", ">=", "<=", "IN", "NIN"]) {
      const value = operator.endsWith("IN") ? [NOW] : NOW;
      const reply = await postJson(sim, "/contacts/search", {
        query: { field: "created_at", operator, value },
      });
      assert.equal(reply.status, 400, operator);
      assert.equal(reply.body.errors[0].code, "parameter_invalid");
    }
    for (const operator of ["=", ">", "<"]) {
      const reply = await postJson(sim, "/contacts/search", {
        query: { field: "created_at", operator, value: NOW },
      });
      assert.equal(reply.status, 200, operator);
    }
    const tagIn = await postJson(sim, "/contacts/search", {
      query: { field: "tag_id", operator: "IN", value: ["7000001"] },
    });
    assert.equal(tagIn.status, 400);
  });
});

Deno.test("contact search matches dates by calendar day in the workspace's timezone", async () => {
  await withSimulator({ conversations: 10 }, async (sim) => {
    sim.workspace.app.timezone = "Asia/Tokyo";
    // 2025-06-15T20:00:00Z is 2025-06-16 05:00 in Tokyo.
    const evening = Date.UTC(2025, 5, 15, 20) / 1000;
    const contact = sim.createContact({ at: evening });
    const on = (day: number) =>
      postJson(sim, "/contacts/search", {
        query: {
          operator: "AND",
          value: [
            { field: "id", operator: "=", value: contact.id },
            { field: "created_at", operator: "=", value: day },
          ],
        },
      });
    const tokyoMidnight = Date.UTC(2025, 5, 15, 15) / 1000; // 2025-06-16 00:00 in Tokyo
    assert.deepEqual(ids((await on(tokyoMidnight)).body), [contact.id]);
    assert.deepEqual(ids((await on(tokyoMidnight - 3600)).body), [], "the 15th in Tokyo");
    sim.workspace.app.timezone = "UTC";
    assert.deepEqual(ids((await on(tokyoMidnight - 3600)).body), [contact.id], "the 15th in UTC");
  });
});

Deno.test("the default rate limit is a private app's: 10,000 a minute in 10-second windows", async () => {
  assert.deepEqual(DEFAULT_RATE_LIMIT, { limit: 1667, windowSeconds: 10 });
  await withSimulator({ conversations: 1 }, async (sim) => {
    const reply = await getJson(sim, "/me");
    assert.equal(reply.headers.get("x-ratelimit-limit"), "1667");
  });
});

Deno.test("onResponse lets a test add a reply right after a conversation was served", async () => {
  await withSimulator({ conversations: 5 }, async (sim) => {
    const c = sim.workspace.conversations[0]!;
    const served: number[] = [];
    sim.onResponse = ({ path, status }) => {
      if (path === `/conversations/${c.id}` && status === 200 && served.length === 0) {
        served.push(c.parts.length);
        sim.addPart(c.id, { at: c.updated_at });
      }
    };
    const first = await getJson(sim, `/conversations/${c.id}`);
    const second = await getJson(sim, `/conversations/${c.id}`);
    assert.equal(first.body.updated_at, second.body.updated_at);
    assert.equal(
      second.body.conversation_parts.conversation_parts.length,
      first.body.conversation_parts.conversation_parts.length + 1,
    );
  });
});

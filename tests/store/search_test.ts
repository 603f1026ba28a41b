import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { parseSearchText } from "../../lib/store/fts_query.ts";
import { makeSnippet } from "../../lib/store/snippet.ts";
import type { Store } from "../../lib/store/store.ts";
import type { ConversationSearch } from "../../lib/store/types.ts";
import { RANK_LIMIT } from "../../lib/store/search_plans.ts";
import { contact, conversation, DAY, part, T0, withStore } from "./_fixtures.ts";

const uma = { type: "user", id: "u1", name: "Uma User", email: "uma@customer.test" };

function seed(store: Store): void {
  store.replaceAdmins([
    {
      id: "a1",
      name: "Ada Admin",
      email: "ada@team.test",
      job_title: null,
      away_mode_enabled: false,
      team_ids: ["t1"],
    },
    {
      id: "a2",
      name: "Bob Builder",
      email: "bob@team.test",
      job_title: null,
      away_mode_enabled: false,
      team_ids: [],
    },
  ]);
  store.replaceTeams([{ id: "t1", name: "Billing Team", admin_ids: ["a1"] }]);
  store.upsertContacts([contact("u1", "uma@customer.test"), contact("u2", "ZED@Example.COM")]);
  store.upsertConversation(
    conversation({
      id: "c1",
      created_at: T0,
      updated_at: T0 + DAY,
      state: "open",
      subject: "Refund request",
      body: "I was double charged",
      author: uma,
      tags: [{ id: "g1", name: "Billing" }],
      admin_assignee_id: "a1",
      team_assignee_id: "t1",
    }),
    T0,
  );
  store.upsertConversation(
    conversation({
      id: "c2",
      created_at: T0 + DAY,
      updated_at: T0 + 2 * DAY,
      state: "closed",
      subject: "Login issue",
      body: "cannot log in to my account",
      author: { type: "lead", id: "l9", name: null, email: null },
      contacts: ["u2"],
      tags: [{ id: "g2", name: "VIP" }],
      admin_assignee_id: "a2",
    }),
    T0,
  );
  store.upsertConversation(
    conversation({
      id: "c3",
      created_at: T0 + 2 * DAY,
      updated_at: T0 + 3 * DAY,
      state: "snoozed",
      title: "Export",
      body: "export all my data please",
      author: uma,
      tags: [{ id: "g1", name: "Billing" }, { id: "g3", name: "Ärger" }],
      team_assignee_id: "t1",
    }),
    T0,
  );
  store.upsertConversation(
    conversation({
      id: "c4",
      created_at: T0 + 3 * DAY,
      updated_at: T0 + 3 * DAY,
      state: "open",
      body: "refund for the double charge please",
      author: uma,
      parts: [part({ id: "p41", body: "The refund was issued", created_at: T0 + 3 * DAY })],
    }),
    T0,
  );
}

function ids(store: Store, search: ConversationSearch): string[] {
  return store.searchConversations(search).hits.map((h) => h.id);
}

function sorted(values: string[]): string[] {
  return [...values].sort();
}

Deno.test("searchConversations() without filters lists newest updated first, ties by id", async () => {
  await withStore((store) => {
    seed(store);
    const result = store.searchConversations({});
    assert.equal(result.total, 4);
    assert.deepEqual(result.hits.map((h) => h.id), ["c3", "c4", "c2", "c1"]);
    assert.ok(result.hits.every((h) => h.rank === null));
    // what each is about: the subject, else the customer's first message
    assert.deepEqual(result.hits.map((h) => h.snippet), [
      "export all my data please",
      "refund for the double charge please",
      "Login issue",
      "Refund request",
    ]);
    assert.equal(result.notes, undefined);
  });
});

Deno.test("searchConversations() without a query shows a customer's first message when a teammate opened", async () => {
  await withStore((store) => {
    const admin = { type: "admin", id: "900", name: "Ada Admin", email: "ada@team.test" };
    const long = "My card was charged twice for the annual plan and ".repeat(6);
    store.upsertConversation(
      conversation({
        id: "o1",
        body: "Hi! How was your onboarding?",
        author: admin,
        parts: [
          part({ id: "o1-a", body: "We also sent a survey", created_at: T0 + 60 }),
          part({ id: "o1-b", body: long, created_at: T0 + 120, author: uma }),
        ],
      }),
      T0,
    );
    const [hit] = store.searchConversations({}).hits;
    assert.equal(hit?.snippet?.endsWith("…"), true, hit?.snippet ?? "");
    assert.ok(hit!.snippet!.startsWith("My card was charged twice"));
    assert.ok(hit!.snippet!.length <= 161);
  });
});

Deno.test("searchConversations() reads OR between terms, binding its neighbours", async () => {
  await withStore((store) => {
    seed(store);
    assert.deepEqual(sorted(ids(store, { text: "export OR login" })), ["c2", "c3"]);
    assert.deepEqual(sorted(ids(store, { text: "refund issued OR export" })), ["c4"]);
    assert.deepEqual(sorted(ids(store, { text: "refund issued OR request" })), ["c1", "c4"]);
    assert.deepEqual(ids(store, { text: "login or" }), [], "lower-case or is a word");
  });
});

Deno.test("searchConversations() finds Chinese, Japanese and Thai text as substrings", async () => {
  await withStore((store) => {
    seed(store);
    store.upsertConversation(
      conversation({
        id: "j1",
        updated_at: T0 + 5 * DAY,
        body: "お客様の請求書を送ってください。invoice 42",
        author: uma,
      }),
      T0,
    );
    store.upsertConversation(
      conversation({ id: "z1", updated_at: T0 + 6 * DAY, body: "我要退款，谢谢", author: uma }),
      T0,
    );
    store.upsertConversation(
      conversation({ id: "t1", updated_at: T0 + 7 * DAY, subject: "ขอคืนเงินค่ะ", author: uma }),
      T0,
    );
    assert.deepEqual(ids(store, { text: "請求書" }), ["j1"]);
    const [hit] = store.searchConversations({ text: "請求書" }).hits;
    assert.match(hit?.snippet ?? "", /\[請求書\]/);
    assert.deepEqual(ids(store, { text: "退款" }), ["z1"], "two characters: no trigram");
    assert.deepEqual(ids(store, { text: "คืนเงิน" }), ["t1"]);
    assert.deepEqual(ids(store, { text: "請求書 invoice" }), ["j1"], "with a word");
    assert.deepEqual(ids(store, { text: "請求書 refund" }), []);
    assert.deepEqual(ids(store, { text: "請求書 OR 退款" }), ["z1", "j1"], "newest first");
    assert.deepEqual(ids(store, { text: "退款", state: "closed" }), []);
    // an update that removes the text removes it from the index
    store.upsertConversation(
      conversation({ id: "z1", updated_at: T0 + 8 * DAY, body: "nothing left", author: uma }),
      T0,
    );
    assert.deepEqual(ids(store, { text: "退款" }), [], "parts are kept, but this body changed");
  });
});

Deno.test("searchConversations() says why a query cannot match, and when terms were dropped", async () => {
  await withStore((store) => {
    seed(store);
    const symbols = store.searchConversations({ text: "🙂 !! OR" });
    assert.equal(symbols.total, 0);
    assert.match(symbols.notes?.[0] ?? "", /has no searchable words/);
    const many = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    assert.match(
      store.searchConversations({ text: `refund ${many}` }).notes?.[0] ?? "",
      /Only the first 32 terms were searched; 9 more were ignored/,
    );
    const nul = store.searchConversations({ text: "refund\u0000request" });
    assert.deepEqual(nul.hits.map((h) => h.id), ["c1"], "a NUL separates words");
  });
});

Deno.test("searchConversations() ranks text matches and marks them in snippets", async () => {
  await withStore((store) => {
    seed(store);
    const result = store.searchConversations({ text: "refund" });
    assert.equal(result.total, 2);
    assert.deepEqual(sorted(result.hits.map((h) => h.id)), ["c1", "c4"]);
    assert.ok(result.hits.every((h) => typeof h.rank === "number"));
    assert.ok((result.hits[0]?.rank ?? 0) <= (result.hits[1]?.rank ?? 0), "best rank first");
    for (const hit of result.hits) assert.match(hit.snippet ?? "", /\[refund\]/i);
    assert.deepEqual(ids(store, { text: '"double charged"' }), ["c1"]);
    assert.deepEqual(sorted(ids(store, { text: "doub*" })), ["c1", "c4"]);
    assert.deepEqual(ids(store, { text: "refund issued" }), ["c4"], "part text is searchable");
    assert.deepEqual(ids(store, { text: "export" }), ["c3"], "title is searchable");
  });
});

Deno.test("searchConversations() filters by inclusive updated and created windows", async () => {
  await withStore((store) => {
    seed(store);
    assert.deepEqual(sorted(ids(store, { updatedSince: T0 + 2 * DAY })), ["c2", "c3", "c4"]);
    assert.deepEqual(sorted(ids(store, { updatedUntil: T0 + 2 * DAY })), ["c1", "c2"]);
    assert.deepEqual(ids(store, { updatedSince: T0 + DAY, updatedUntil: T0 + DAY }), ["c1"]);
    assert.deepEqual(sorted(ids(store, { createdSince: T0 + 2 * DAY })), ["c3", "c4"]);
    assert.deepEqual(sorted(ids(store, { createdUntil: T0 + DAY })), ["c1", "c2"]);
    assert.deepEqual(ids(store, { text: "refund", updatedSince: T0 + 2 * DAY }), ["c4"]);
    assert.deepEqual(ids(store, { text: "refund", createdUntil: T0 }), ["c1"]);
    assert.deepEqual(ids(store, { state: "open", createdSince: T0 + DAY }), ["c4"]);
  });
});

Deno.test("searchConversations() matches customer email by source author or linked contact", async () => {
  await withStore((store) => {
    seed(store);
    assert.deepEqual(sorted(ids(store, { customerEmail: "UMA@Customer.test" })), [
      "c1",
      "c3",
      "c4",
    ]);
    assert.deepEqual(ids(store, { customerEmail: "zed@example.com" }), ["c2"], "via contact");
    assert.deepEqual(ids(store, { customerEmail: "nobody@example.com" }), []);
    assert.deepEqual(sorted(ids(store, { customerEmail: "uma@customer.test", text: "refund" })), [
      "c1",
      "c4",
    ]);
    assert.deepEqual(ids(store, { customerEmail: "uma@customer.test", state: "snoozed" }), ["c3"]);
  });
});

Deno.test("searchConversations() filters by state, tag (case-insensitive) and assignee", async () => {
  await withStore((store) => {
    seed(store);
    assert.deepEqual(sorted(ids(store, { state: "open" })), ["c1", "c4"]);
    assert.deepEqual(ids(store, { state: "closed" }), ["c2"]);
    assert.deepEqual(ids(store, { state: "snoozed" }), ["c3"]);
    assert.deepEqual(sorted(ids(store, { tag: "BILLING" })), ["c1", "c3"]);
    assert.deepEqual(ids(store, { tag: "ärger" }), ["c3"]);
    assert.deepEqual(ids(store, { tag: "nope" }), []);
    assert.deepEqual(ids(store, { assignee: "a1" }), ["c1"]);
    assert.deepEqual(ids(store, { assignee: "ada admin" }), ["c1"]);
    assert.deepEqual(ids(store, { assignee: "BOB@team.test" }), ["c2"]);
    assert.deepEqual(sorted(ids(store, { assignee: "t1" })), ["c1", "c3"]);
    assert.deepEqual(sorted(ids(store, { assignee: "billing team" })), ["c1", "c3"]);
    assert.deepEqual(ids(store, { assignee: "nobody" }), []);
  });
});

Deno.test("searchConversations() combines text with every other filter", async () => {
  await withStore((store) => {
    seed(store);
    const all: ConversationSearch = {
      text: "refund",
      state: "open",
      tag: "billing",
      assignee: "Ada Admin",
      customerEmail: "uma@customer.test",
      updatedSince: T0,
      updatedUntil: T0 + DAY,
      createdSince: T0,
      createdUntil: T0,
    };
    assert.deepEqual(ids(store, all), ["c1"]);
    assert.deepEqual(ids(store, { ...all, state: "closed" }), []);
    const { customerEmail: _email, ...withoutEmail } = all;
    assert.deepEqual(ids(store, withoutEmail), ["c1"]);
    assert.deepEqual(ids(store, { text: "refund", state: "open", tag: "vip" }), []);
    assert.deepEqual(ids(store, { text: "please", tag: "billing" }), ["c3"]);
    assert.deepEqual(ids(store, { tag: "billing", state: "open", assignee: "t1" }), ["c1"]);
  });
});

Deno.test("searchConversations() pages with limit and offset and a stable total", async () => {
  await withStore((store) => {
    seed(store);
    const first = store.searchConversations({ limit: 2 });
    const second = store.searchConversations({ limit: 2, offset: 2 });
    const beyond = store.searchConversations({ limit: 2, offset: 10 });
    assert.deepEqual([first.total, second.total, beyond.total], [4, 4, 4]);
    assert.deepEqual(first.hits.map((h) => h.id), ["c3", "c4"]);
    assert.deepEqual(second.hits.map((h) => h.id), ["c2", "c1"]);
    assert.deepEqual(beyond.hits, []);
    assert.equal(store.searchConversations({ limit: 0 }).hits.length, 1, "limit clamps to 1");
    assert.equal(store.searchConversations({ limit: 1000 }).hits.length, 4);
    assert.equal(store.searchConversations({ offset: -5 }).hits.length, 4, "offset clamps to 0");
    const ranked = [0, 1].map((offset) => ids(store, { text: "refund", limit: 1, offset }));
    assert.deepEqual(sorted(ranked.flat()), ["c1", "c4"]);
  });
});

Deno.test("searchConversations() defaults to 20 hits and caps at 100", async () => {
  await withStore((store) => {
    store.transaction(() => {
      for (let i = 0; i < 120; i++) {
        store.upsertConversation(conversation({ id: `k${i}`, updated_at: T0 + i }), T0);
      }
    });
    assert.equal(store.searchConversations({}).hits.length, 20);
    assert.equal(store.searchConversations({ limit: 500 }).hits.length, 100);
    assert.equal(store.searchConversations({ limit: 500 }).total, 120);
  });
});

Deno.test("searchConversations() orders ties inside one second by id on every page", async () => {
  await withStore((store) => {
    const order = [17, 3, 29, 0, 11, 25, 8, 21, 14, 5, 27, 1, 19, 9, 23, 12, 6, 28, 2, 15];
    store.transaction(() => {
      for (const n of order) {
        const id = `k${String(n).padStart(2, "0")}`;
        store.upsertConversation(
          conversation({ id, updated_at: T0 + (n < 10 ? 0 : 60), state: "open" }),
          T0,
        );
      }
    });
    const expected = order.map((n) => ({ n, id: `k${String(n).padStart(2, "0")}` }))
      .sort((a, b) => (b.n >= 10 ? 1 : 0) - (a.n >= 10 ? 1 : 0) || a.id.localeCompare(b.id))
      .map((x) => x.id);
    for (const search of [{}, { state: "open" as const }, { text: "question" }]) {
      const pages: string[] = [];
      for (let offset = 0; offset < order.length; offset += 3) {
        pages.push(...ids(store, { ...search, limit: 3, offset }));
      }
      // Equal bm25 ranks (identical texts) are ordered by id too.
      const want = "text" in search ? sorted(expected) : expected;
      assert.deepEqual(pages, want, `paging ${JSON.stringify(search)}`);
    }
  });
});

Deno.test("searchConversations() returns hits with names, tags and message counts", async () => {
  await withStore((store) => {
    seed(store);
    const [hit] = store.searchConversations({ text: "refund request" }).hits;
    assert.deepEqual({ ...hit, rank: typeof hit?.rank, snippet: typeof hit?.snippet }, {
      id: "c1",
      title: null,
      state: "open",
      created_at: T0,
      updated_at: T0 + DAY,
      source_subject: "Refund request",
      source_author_name: "Uma User",
      source_author_email: "uma@customer.test",
      admin_assignee_id: "a1",
      admin_assignee_name: "Ada Admin",
      team_assignee_id: "t1",
      team_assignee_name: "Billing Team",
      tag_names: ["Billing"],
      parts_total: 0,
      customer_messages: 1,
      teammate_messages: 0,
      snippet: "string",
      rank: "number",
    });
  });
});

Deno.test("searchConversations() never throws on hostile text", async () => {
  const inputs = [
    '"',
    '""',
    '"""',
    "*",
    "**",
    "a*b*",
    "(",
    ")",
    "(refund",
    "NEAR",
    "NEAR(refund charged)",
    "AND",
    "OR",
    "NOT",
    "refund AND",
    "refund OR NOT",
    "-",
    "-refund",
    ":",
    "title:refund",
    "{subject}: refund",
    "subject : refund",
    "^refund",
    "+",
    "'",
    "\\",
    "%_",
    "é",
    "日本語",
    "😀",
    "refund 😀",
    "\u0000",
    "zzs6f70656e",
    '"zzs6f70656e"*',
    "a".repeat(5000),
    Array.from({ length: 100 }, (_, i) => `w${i}`).join(" "),
    "",
    "   ",
  ];
  await withStore((store) => {
    seed(store);
    for (const text of inputs) {
      const result = store.searchConversations({ text, state: "open", tag: "billing" });
      assert.equal(typeof result.total, "number", `input ${JSON.stringify(text)}`);
      const plain = store.searchConversations({ text });
      assert.equal(typeof plain.total, "number");
    }
    assert.equal(store.searchConversations({ text: "😀" }).total, 0, "no searchable word");
    assert.equal(store.searchConversations({ text: "   " }).total, 4, "blank text is no filter");
    assert.deepEqual(ids(store, { text: "(refund" }), ids(store, { text: "refund" }));
    assert.deepEqual(ids(store, { text: "zzs6f70656e" }), [], "facet tokens are not text");
  });
});

Deno.test("searchConversations() lists huge text matches newest first without ranks", async () => {
  await withStore((store) => {
    store.transaction(() => {
      for (let i = 0; i <= RANK_LIMIT; i++) {
        store.upsertConversation(
          conversation({ id: `k${String(i).padStart(5, "0")}`, updated_at: T0 + i }),
          T0,
        );
      }
    });
    const result = store.searchConversations({ text: "hello", limit: 3 });
    assert.equal(result.total, RANK_LIMIT + 1);
    assert.equal(result.totalIsLowerBound, undefined, "below COUNT_LIMIT: exact");
    const last = `k${String(RANK_LIMIT).padStart(5, "0")}`;
    assert.equal(result.hits[0]?.id, last);
    assert.equal(result.hits.length, 3);
    assert.ok(result.hits.every((h) => h.rank === null && /\[Hello\]/.test(h.snippet ?? "")));
    const small = store.searchConversations({ text: "hello", updatedSince: T0 + RANK_LIMIT - 10 });
    assert.equal(small.total, 11);
    assert.ok(small.hits.every((h) => typeof h.rank === "number"), "few matches are ranked");
  });
});

Deno.test("searchConversations() pages a tie group bigger than its read-ahead in id order", async () => {
  await withStore((store) => {
    const n = 90;
    const shuffled = Array.from({ length: n }, (_, i) => (i * 37) % n);
    store.transaction(() => {
      for (const i of shuffled) {
        store.upsertConversation(
          conversation({ id: `t${String(i).padStart(3, "0")}`, updated_at: T0, state: "closed" }),
          T0,
        );
      }
      store.upsertConversation(
        conversation({ id: "newer", updated_at: T0 + 1, state: "closed" }),
        T0,
      );
    });
    const expected = ["newer", ...shuffled.map((i) => `t${String(i).padStart(3, "0")}`).sort()];
    const pages: string[] = [];
    for (let offset = 0; offset < expected.length; offset += 4) {
      pages.push(...ids(store, { state: "closed", limit: 4, offset }));
    }
    assert.deepEqual(pages, expected);
  });
});

Deno.test("searchConversations() snippets a long thread as if it read the whole text", async () => {
  await withStore((store, path) => {
    const bodies = Array.from(
      { length: 120 },
      (_, i) =>
        i === 70
          ? "Sorry, you were double charged on the card"
          : i === 71
          ? ""
          : i === 90
          ? "the card was double charged once more"
          : `reply number ${i} with ordinary words`,
    );
    store.upsertConversation(
      conversation({
        id: "long",
        subject: "Card question",
        body: "first message",
        parts: bodies.map((body, i) =>
          part({ id: `p${i}`, body: i === 5 ? null : body, created_at: T0 + i })
        ),
      }),
      T0,
    );
    const raw = new DatabaseSync(path, { readOnly: true });
    try {
      const row = raw.prepare("SELECT subject, title, body FROM conversation_documents").get();
      assert.ok(row !== undefined);
      for (const text of ['"double charged"', "card", "ordinary once", "reply* card"]) {
        const [hit] = store.searchConversations({ text }).hits;
        const columns: (string | null)[] = [row.body, row.subject, row.title].map((v) =>
          v === null ? null : String(v)
        );
        assert.equal(hit?.snippet, makeSnippet(columns, parseSearchText(text)), text);
      }
    } finally {
      raw.close();
    }
  });
});

Deno.test("searchConversations() with snippets: untitled makes snippets only for hits without subject or title", async () => {
  await withStore((store) => {
    seed(store);
    let mixed = 0;
    for (const text of ["refund", "charged", "invoice", "password"]) {
      const all = store.searchConversations({ text, limit: 50 }).hits;
      const some = store.searchConversations({ text, limit: 50, snippets: "untitled" }).hits;
      const untitled = (h: { source_subject: string | null; title: string | null }) =>
        h.source_subject === null && h.title === null;
      if (all.some(untitled) && !all.every(untitled)) mixed++;
      assert.deepEqual(some, all.map((h) => untitled(h) ? h : { ...h, snippet: null }), text);
    }
    assert.ok(mixed > 0, "a query whose hits are titled and untitled");
    const all = store.searchConversations({ limit: 50 }).hits;
    assert.ok(all.some((h) => h.source_subject !== null) && all.some((h) => h.snippet !== null));
    assert.deepEqual(
      store.searchConversations({ limit: 50, snippets: "untitled" }).hits,
      all.map((h) => h.source_subject === null && h.title === null ? h : { ...h, snippet: null }),
    );
  });
});

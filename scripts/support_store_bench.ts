// deno-lint-ignore-file no-console
/**
 * Search benchmark with tickets and companies (issue 14): ticket, company and company-filtered
 * conversation search, plus the core conversation kinds, on a synthetic store of 100,000
 * conversations, 30,000 tickets and 10,000 companies.
 *
 *   deno run -A scripts/support_store_bench.ts
 *
 * Environment: SUPPORT_BENCH_CONVERSATIONS (100000), SUPPORT_BENCH_TICKETS (30000),
 * SUPPORT_BENCH_COMPANIES (10000), STORE_BENCH_ITERATIONS (200), STORE_BENCH_DIR (where the
 * store is built once and kept; see store_bench.ts). Target: every search p95 ≤ 10 ms.
 */
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Store } from "../lib/store/store.ts";
import { makeSyntheticStore, SYNTHETIC_END, SYNTHETIC_WORDS } from "./make_synthetic_store.ts";
import { format, measure, type Row } from "./_bench_stats.ts";

const TARGET_MS = 10;

function envInt(name: string, fallback: number): number {
  const value = Number(Deno.env.get(name) ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a count`);
  return value;
}

function storePath(conversations: number, tickets: number, companies: number): string {
  const base = Deno.env.get("STORE_BENCH_DIR") ??
    join(
      Deno.env.get("XDG_CACHE_HOME") ?? join(Deno.env.get("HOME") ?? "/tmp", ".cache"),
      "fast-intercom-mcp",
      "bench",
    );
  Deno.mkdirSync(base, { recursive: true });
  const path = join(base, `support-store-${conversations}-${tickets}-${companies}.db`);
  try {
    Deno.statSync(path);
    return path;
  } catch {
    // built below
  }
  console.error(
    `building ${path} (${conversations} conversations, ${tickets} tickets, ` +
      `${companies} companies) …`,
  );
  const tmp = `${path}.partial`;
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      Deno.removeSync(tmp + suffix);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  const result = makeSyntheticStore(tmp, {
    conversations,
    tickets,
    companies,
    onProgress: (done, total) => {
      if (done % 20_000 === 0) console.error(`  ${done}/${total} conversations`);
    },
  });
  Deno.renameSync(tmp, path);
  console.error(`  built in ${result.seconds.toFixed(1)} s`);
  return path;
}

function sample(path: string) {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const ids = (sql: string) => db.prepare(sql).all().map((row) => String(Object.values(row)[0]));
    return {
      contacts: ids("SELECT contact_id FROM ticket_contacts ORDER BY random() LIMIT 200"),
      companyNames: ids("SELECT name FROM companies ORDER BY random() LIMIT 200"),
      tickets: ids("SELECT id FROM tickets ORDER BY random() LIMIT 200"),
      admins: ids("SELECT id FROM admins ORDER BY id"),
    };
  } finally {
    db.close();
  }
}

function main(): void {
  const conversations = envInt("SUPPORT_BENCH_CONVERSATIONS", 100_000);
  const tickets = envInt("SUPPORT_BENCH_TICKETS", 30_000);
  const companies = envInt("SUPPORT_BENCH_COMPANIES", 10_000);
  const iterations = envInt("STORE_BENCH_ITERATIONS", 200);
  const path = storePath(conversations, tickets, companies);
  const s = sample(path);
  using store = Store.open(path, { readOnly: true });
  const day = 86400;
  const at = <T>(list: T[], i: number) => list[i % list.length]!;
  const options = { iterations, target: TARGET_MS };
  const rows: Row[] = [];
  const all: Row = { name: "ALL SEARCHES", times: [], cpu: [], total: 0, target: TARGET_MS };
  const run = (name: string, fn: (i: number) => number) => {
    const row = measure(name, options, fn);
    rows.push(row);
    all.times.push(...row.times);
    all.cpu.push(...row.cpu);
  };
  const tickets_ = (search: Parameters<typeof store.support.searchTickets>[0]) =>
    store.support.searchTickets(search).total;
  run("tickets: rare word", () => tickets_({ text: SYNTHETIC_WORDS.rare }));
  run("tickets: common word", () => tickets_({ text: SYNTHETIC_WORDS.common }));
  run("tickets: very common word", () => tickets_({ text: SYNTHETIC_WORDS.veryCommon }));
  run("tickets: phrase", () => tickets_({ text: `"${SYNTHETIC_WORDS.phrase}"` }));
  run(
    "tickets: text + state",
    (i) => tickets_({ text: "refund", state: i % 2 ? "resolved" : "in_progress" }),
  );
  run(
    "tickets: state, newest",
    (i) => tickets_({ state: i % 2 ? "submitted" : "waiting_on_customer" }),
  );
  run("tickets: category + open", () => tickets_({ category: "Customer", open: true }));
  run("tickets: assignee", (i) => tickets_({ assignee: at(s.admins, i) }));
  run("tickets: contact", (i) => tickets_({ contactId: at(s.contacts, i) }));
  run("tickets: company plan", (i) => tickets_({ plan: i % 2 ? "Enterprise" : "Pro" }));
  run("tickets: text + company plan", () => tickets_({ text: "refund", plan: "Enterprise" }));
  run("tickets: company name", (i) => tickets_({ company: at(s.companyNames, i) }));
  run(
    "tickets: last 30 days",
    (i) =>
      tickets_({
        since: SYNTHETIC_END - (i % 600) * day - 30 * day,
        until: SYNTHETIC_END - (i % 600) * day,
      }),
  );
  const companies_ = (search: Parameters<typeof store.support.searchCompanies>[0]) =>
    store.support.searchCompanies(search).total;
  run("companies: name word", (i) => companies_({ text: at(s.companyNames, i).split(" ")[0]! }));
  run("companies: plan", () => companies_({ plan: "Enterprise" }));
  run("companies: text + plan", () => companies_({ text: "EMEA", plan: "Pro" }));
  run("companies: industry", () => companies_({ industry: "Finance" }));
  const conversations_ = (search: Parameters<typeof store.searchConversations>[0]) =>
    store.searchConversations(search).total;
  run(
    "conversations: company plan",
    (i) => conversations_({ companyPlan: i % 2 ? "Enterprise" : "Pro" }),
  );
  run(
    "conversations: text + company plan",
    () => conversations_({ text: SYNTHETIC_WORDS.common, companyPlan: "Enterprise" }),
  );
  run("conversations: company name", (i) => conversations_({ company: at(s.companyNames, i) }));
  run("conversations: rare word", () => conversations_({ text: SYNTHETIC_WORDS.rare }));
  run("conversations: common word", () => conversations_({ text: SYNTHETIC_WORDS.common }));
  run(
    "conversations: text + state",
    (i) => conversations_({ text: "refund", state: i % 2 ? "open" : "closed" }),
  );
  rows.push({ ...all, total: all.times.length });
  run("getTicket", (i) => store.support.getTicket(at(s.tickets, i))?.parts.length ?? 0);
  run("getCompany", (i) => store.support.getCompany(at(s.companyNames, i))?.contacts_total ?? 0);
  const counts = store.support.counts();
  const stats = store.stats();
  console.log(`store: ${path}`);
  console.log(
    `${stats.conversations} conversations (${stats.parts} parts), ${counts.tickets} tickets ` +
      `(${counts.ticketParts} parts), ${counts.companies} companies, ` +
      `${(stats.sizeBytes / 1048576).toFixed(1)} MiB; ${iterations} runs per kind\n`,
  );
  console.log(format(rows));
}

if (import.meta.main) main();

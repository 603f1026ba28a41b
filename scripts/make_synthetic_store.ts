// deno-lint-ignore-file no-console
/**
 * Builds a realistic synthetic store through the Store API, for benchmarks:
 *
 *   deno run -A scripts/make_synthetic_store.ts <path> [--conversations 100000] [--parts-per 10]
 *     [--tickets 0] [--companies 0]
 *
 * Conversations span two years; bodies draw from a Zipf-distributed vocabulary (a few words
 * in almost every conversation, a long tail of rare ones) with recurring support phrases;
 * contacts, emails, tags, states and assignees vary; about one conversation in 500 is long
 * (400–600 parts, beyond Intercom's 500 cap).
 */
import { parseArgs } from "node:util";
import type {
  Admin,
  Contact,
  Conversation,
  ConversationPart,
  Tag,
  Team,
} from "../lib/intercom/types.ts";
import { Prng } from "../lib/simulator/prng.ts";
import { Store } from "../lib/store/store.ts";
import { addSyntheticSupport, assignCompanies } from "./synthetic_support.ts";

/** Options of {@linkcode makeSyntheticStore}. */
export interface SyntheticOptions {
  /** Default 100,000. */
  conversations?: number;
  /** Average parts per conversation. Default 10. */
  partsPer?: number;
  /** PRNG seed. Default 42. */
  seed?: number;
  /** Conversations per transaction. Default 1,000. */
  batchSize?: number;
  /** Called after each batch with the number stored so far. Default: nothing. */
  onProgress?: (done: number, total: number) => void;
  /** Tickets (1–12 parts each). Default 0. */
  tickets?: number;
  /** Companies (about 70% of contacts in one). Default 0. */
  companies?: number;
}

/** Words the benchmark queries rely on: their frequency is known by construction. */
export const SYNTHETIC_WORDS = {
  /** In nearly every conversation. */
  veryCommon: "thanks",
  /** In roughly a third of conversations. */
  common: "invoice",
  /** In a few dozen conversations. */
  rare: "quixotic",
  /** A phrase in about 2% of conversations. */
  phrase: "reset my password",
} as const;

/** Fixed end of the synthetic period: 2025-06-01T00:00:00Z. */
export const SYNTHETIC_END = 1748736000;
const SPAN = 2 * 365 * 86400;

const BASE_WORDS = (
  "the to and you i a my is it for of please in this we can that on with have your be not " +
  "thanks hi hello account help issue problem order payment card charge refund billing plan " +
  "subscription cancel upgrade downgrade login password email app error page settings update " +
  "team user customer support question today week month again still working work know need " +
  "want see check sent send receive received time day access link report data export import " +
  "feature request bug crash slow fast mobile desktop browser chrome safari android iphone " +
  "integration api webhook token invite workspace admin role permission team billing address " +
  "tax vat receipt trial discount coupon price pricing annual monthly seat seats license " +
  "delete remove add change changed new old because would could should there their they what " +
  "when where why how which after before about just also very much more some any all our " +
  "sorry great perfect understand looking forward reply follow up ticket case escalate"
).split(" ");

const SYLLABLES = "ka lo mi ne ru sa ti vo ze ba de fi gu ho ja ke li mo nu pa re si to vu wa yo"
  .split(" ");

function buildVocabulary(random: () => number, size: number): string[] {
  const words = [...new Set(BASE_WORDS)].filter((w) => w !== SYNTHETIC_WORDS.common);
  words.splice(40, 0, SYNTHETIC_WORDS.common);
  const seen = new Set(words);
  while (words.length < size) {
    let word = "";
    const syllables = 2 + Math.floor(random() * 3);
    for (let i = 0; i < syllables; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words;
}

function zipfSampler(random: () => number, size: number, exponent: number): () => number {
  const cdf = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    sum += 1 / Math.pow(i + 1, exponent);
    cdf[i] = sum;
  }
  return () => {
    const target = random() * sum;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] ?? 0) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const PHRASES = [
  SYNTHETIC_WORDS.phrase,
  "double charged on my card",
  "cancel my subscription",
  "export all my data",
  "the invoice is wrong",
  "cannot log in",
];
const FIRST =
  "ana ben carla dev emma farid grace hugo ines jon kai lena mo nina omar pia raj sofia tom una"
    .split(" ");
const LAST = "smith garcia chen okafor novak rossi tanaka muller silva kowalski dubois haddad"
  .split(" ");
const DOMAINS = ["example.com", "acme.io", "mail.test", "corp.example", "shop.test"];
const TAG_NAMES = [
  "billing",
  "bug",
  "vip",
  "refund",
  "onboarding",
  "churn-risk",
  "feature-request",
  "urgent",
  "api",
  "mobile",
  "enterprise",
  "trial",
  "security",
  "feedback",
  "partner",
  "sales",
];

/** Generates synthetic workspace data and conversations. */
class Generator {
  readonly random: () => number;
  readonly vocabulary: string[];
  readonly nextWord: () => number;
  readonly nextTag: () => number;
  readonly contacts: Contact[] = [];
  readonly admins: Admin[] = [];
  readonly teams: Team[] = [];
  readonly tags: Tag[] = TAG_NAMES.map((name, i) => ({ id: String(100 + i), name }));
  partId = 1_000_000_000;

  constructor(seed: number, contactCount: number) {
    const rng = new Prng(seed);
    this.random = () => rng.next();
    this.vocabulary = buildVocabulary(this.random, 20_000);
    this.nextWord = zipfSampler(this.random, this.vocabulary.length, 1.05);
    this.nextTag = zipfSampler(this.random, this.tags.length, 1.2);
    for (let i = 0; i < 8; i++) {
      this.teams.push({
        id: String(9000 + i),
        name: `Team ${
          ["Support", "Billing", "Tier 2", "Sales", "Success", "EMEA", "APAC", "VIP"][i]
        }`,
        admin_ids: [],
      });
    }
    for (let i = 0; i < 50; i++) {
      const name = `${this.pick(FIRST)} ${this.pick(LAST)}`;
      this.admins.push({
        id: String(5000 + i),
        name: `${name} ${i}`,
        email: `agent${i}@support.example`,
        job_title: "Support",
        away_mode_enabled: false,
        team_ids: [String(9000 + (i % 8))],
      });
    }
    for (let i = 0; i < contactCount; i++) {
      const first = this.pick(FIRST);
      const last = this.pick(LAST);
      this.contacts.push({
        id: `contact${i}`,
        external_id: `ext-${i}`,
        role: this.random() < 0.8 ? "user" : "lead",
        email: `${first}.${last}${i}@${this.pick(DOMAINS)}`,
        phone: null,
        name: `${first} ${last}`,
        created_at: SYNTHETIC_END - SPAN - 86400,
        updated_at: SYNTHETIC_END - Math.floor(this.random() * SPAN),
        last_seen_at: null,
        custom_attributes: { plan: this.pick(["free", "pro", "enterprise"]) },
        tags: [],
        companies: [],
        location: { country: null, region: null, city: null },
        owner_id: null,
      });
    }
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  sentence(words: number): string {
    const out: string[] = [];
    for (let i = 0; i < words; i++) out.push(this.vocabulary[this.nextWord()] ?? "the");
    if (this.random() < 0.03) out.splice(Math.floor(words / 2), 0, this.pick(PHRASES));
    if (this.random() < 0.0003) out.push(SYNTHETIC_WORDS.rare);
    return out.join(" ");
  }

  body(): string {
    const sentences = 1 + Math.floor(this.random() * 4);
    const out: string[] = [];
    for (let i = 0; i < sentences; i++) out.push(this.sentence(5 + Math.floor(this.random() * 14)));
    return `${out.join(". ")}.`;
  }

  partCount(average: number): number {
    if (this.random() < 0.002) return 400 + Math.floor(this.random() * 200);
    return Math.max(1, Math.round(average * (0.2 + this.random() * 1.6)));
  }

  part(createdAt: number, contact: Contact, admin: Admin, index: number): ConversationPart {
    const roll = this.random();
    const fromCustomer = index % 2 === 1;
    const event = roll < 0.08;
    const note = !event && roll < 0.14;
    return {
      type: "conversation_part",
      id: String(this.partId++),
      part_type: event
        ? this.pick(["assignment", "close", "open", "snoozed"])
        : note
        ? "note"
        : "comment",
      body: event ? null : this.body(),
      created_at: createdAt,
      updated_at: createdAt,
      notified_at: createdAt,
      author: fromCustomer && !note && !event
        ? { type: "user", id: contact.id, name: contact.name, email: contact.email }
        : { type: "admin", id: admin.id, name: admin.name, email: admin.email },
      redacted: false,
      assigned_to: null,
      attachments: [],
    };
  }

  conversation(index: number, total: number, partsPer: number): Conversation {
    const createdAt = SYNTHETIC_END - SPAN + Math.floor((index / total) * SPAN);
    const contact = this.pick(this.contacts);
    const admin = this.pick(this.admins);
    const count = this.partCount(partsPer);
    const parts: ConversationPart[] = [];
    let time = createdAt;
    // Long threads are mostly automated back-and-forth: minutes apart, not hours.
    const gap = count > 100 ? 300 : 7200;
    for (let i = 0; i < count; i++) {
      time += 60 + Math.floor(this.random() * gap);
      parts.push(this.part(time, contact, admin, i));
    }
    const tagCount = Math.floor(this.random() * 3);
    const tags = new Map<string, Tag>();
    for (let i = 0; i < tagCount; i++) {
      const tag = this.tags[this.nextTag()] as Tag;
      tags.set(tag.id, tag);
    }
    const roll = this.random();
    const state = roll < 0.25 ? "open" : roll < 0.35 ? "snoozed" : "closed";
    const returned = parts.slice(-500);
    return {
      type: "conversation",
      id: String(100_000_000 + index),
      title: this.random() < 0.3 ? this.sentence(4) : null,
      created_at: createdAt,
      updated_at: time,
      waiting_since: state === "open" ? time : null,
      snoozed_until: state === "snoozed" ? time + 86400 : null,
      open: state !== "closed",
      state,
      read: this.random() < 0.7,
      priority: this.random() < 0.1 ? "priority" : "not_priority",
      admin_assignee_id: this.random() < 0.9 ? admin.id : null,
      team_assignee_id: admin.team_ids[0] ?? null,
      tags: [...tags.values()].map((t) => ({
        type: "tag",
        id: t.id,
        name: t.name,
        applied_at: createdAt,
      })),
      source: {
        type: "conversation",
        id: `src${index}`,
        delivered_as: "customer_initiated",
        subject: this.random() < 0.4 ? this.sentence(5) : null,
        body: this.body(),
        author: { type: "user", id: contact.id, name: contact.name, email: contact.email },
        url: null,
        attachments: [],
      },
      contacts: [{ id: contact.id, external_id: contact.external_id }],
      teammates: [{ id: admin.id }],
      statistics: { count_conversation_parts: parts.length + 1 },
      custom_attributes: { channel: this.pick(["chat", "email", "phone"]) },
      conversation_rating: null,
      linked_objects: [],
      sla_applied: null,
      topics: [],
      ai_agent: null,
      ai_agent_participated: null,
      conversation_parts: { conversation_parts: returned, total_count: parts.length },
    };
  }
}

/** Fills the store at `path` with synthetic data; returns counts and elapsed time. */
export function makeSyntheticStore(
  path: string,
  options: SyntheticOptions = {},
): { conversations: number; parts: number; seconds: number; sizeBytes: number } {
  const {
    conversations = 100_000,
    partsPer = 10,
    seed = 42,
    batchSize = 1000,
    onProgress = () => {},
    tickets = 0,
    companies = 0,
  } = options;
  const started = performance.now();
  const generator = new Generator(seed, Math.max(10, Math.floor(conversations / 3)));
  let parts = 0;
  assignCompanies(generator, companies);
  {
    using store = Store.open(path);
    store.replaceAdmins(generator.admins);
    store.replaceTeams(generator.teams);
    store.replaceTags(generator.tags);
    store.upsertContacts(generator.contacts);
    for (let start = 0; start < conversations; start += batchSize) {
      store.transaction(() => {
        for (let i = start; i < Math.min(conversations, start + batchSize); i++) {
          const conv = generator.conversation(i, conversations, partsPer);
          parts += store.upsertConversation(conv, SYNTHETIC_END).partsUpserted;
        }
      });
      onProgress(Math.min(conversations, start + batchSize), conversations);
    }
    store.completeCursor(SYNTHETIC_END);
    parts += addSyntheticSupport(store, generator, {
      companies,
      tickets,
      end: SYNTHETIC_END,
      span: SPAN,
      batchSize,
    }).ticketParts;
  }
  // Closing the last connection checkpoints the write-ahead log into the file.
  const sizeBytes = Deno.statSync(path).size;
  return { conversations, parts, seconds: (performance.now() - started) / 1000, sizeBytes };
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      conversations: { type: "string", default: "100000" },
      "parts-per": { type: "string", default: "10" },
      tickets: { type: "string", default: "0" },
      companies: { type: "string", default: "0" },
    },
  });
  const path = positionals[0];
  const conversations = Number(values.conversations);
  const partsPer = Number(values["parts-per"]);
  if (path === undefined || !Number.isInteger(conversations) || !(partsPer > 0)) {
    console.error(
      "usage: make_synthetic_store.ts <path> [--conversations 100000] [--parts-per 10] " +
        "[--tickets 0] [--companies 0]",
    );
    Deno.exit(2);
  }
  const result = makeSyntheticStore(path, {
    conversations,
    partsPer,
    tickets: Number(values.tickets),
    companies: Number(values.companies),
    onProgress: (done, total) => {
      if (done % 10_000 === 0 || done === total) console.error(`${done}/${total} conversations`);
    },
  });
  console.log(
    `built ${result.conversations} conversations, ${result.parts} parts in ` +
      `${result.seconds.toFixed(1)} s; ${(result.sizeBytes / 1048576).toFixed(1)} MiB at ${path}`,
  );
}

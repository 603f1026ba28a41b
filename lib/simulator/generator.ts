/**
 * Deterministic workspace generation: the same seed, size, window and "now" always produce
 * identical data. Parts per conversation follow a long tail (median ~6, mean ~10) and, from
 * 100 conversations up, at least one conversation has 520–700 parts. Companies, tickets and
 * conversation extras come from their own random stream (`support_generator.ts`), so they do
 * not change the conversations and contacts of a seed.
 */
import {
  ADMIN_JOB_TITLES,
  createBodyPool,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  LAST_NAMES,
  NON_LATIN_NAMES,
  TAG_NAMES,
  TEAM_NAMES,
} from "./content.ts";
import { buildConversation } from "./conversation_builder.ts";
import { deriveSeed, Prng } from "./prng.ts";
import { addSupportRecords } from "./support_generator.ts";
import type {
  SimAdmin,
  SimContact,
  SimConversation,
  SimQuirks,
  SimTeam,
  Workspace,
} from "./workspace.ts";

const DAY = 86_400;
const ADMIN_COUNT = 8;
/** Random part counts are capped here; only the planted giants go past 500. */
const RANDOM_PARTS_CAP = 300;

/** What to generate. */
export interface GenerateOptions {
  seed: number;
  conversations: number;
  /** Window in days the conversations' created_at is spread over, ending at `now`. */
  days: number;
  /** Workspace "now", Unix seconds; no generated time is later. */
  now: number;
  /** Tickets. Default 15% of the conversations. */
  tickets?: number | undefined;
  /** Companies. Default one per 8 contacts (at least 3). */
  companies?: number | undefined;
}

/** Generates a whole workspace. */
export function generateWorkspace(options: GenerateOptions): Workspace {
  const { seed, now } = options;
  const count = Math.max(0, Math.floor(options.conversations));
  const windowStart = now - Math.max(1, options.days) * DAY;
  const rng = new Prng(deriveSeed(seed, "workspace"));
  const idCode = deriveSeed(seed, "app").toString(36).padStart(8, "0").slice(-8);
  const ws: Workspace = {
    app: {
      id_code: idCode,
      name: `Simulated Workspace ${seed}`,
      region: "US",
      timezone: "Europe/Dublin",
      created_at: windowStart - 400 * DAY,
    },
    me: { id: "", name: "", email: "" },
    admins: [],
    teams: [],
    tags: TAG_NAMES.map((name, i) => ({ id: String(7_000_001 + i), name })),
    bot: { type: "bot", id: "5999999", name: "Fin", email: `operator+${idCode}@intercom.io` },
    contacts: [],
    conversations: [],
    conversationsById: new Map(),
    contactsById: new Map(),
    companies: [],
    companiesById: new Map(),
    ticketTypes: [],
    tickets: [],
    ticketsById: new Map(),
    dataAttributes: [],
    counters: {
      conversation: 100_000_000_000,
      part: 30_000_000_000,
      source: 400_000_000,
      ticket: 200_000_000,
      ticketNumber: 0,
      ticketPart: 40_000_000_000,
    },
  };
  addAdminsAndTeams(ws, rng);
  const me = ws.admins[0];
  if (me) ws.me = { id: me.id, name: me.name, email: me.email };
  addContacts(ws, rng, { count: Math.max(10, Math.ceil(count * 0.6)), windowStart, now });
  addConversations(ws, rng, { count, windowStart, now, seed });
  addSupportRecords(ws, {
    seed,
    windowStart,
    now,
    tickets: options.tickets,
    companies: options.companies,
  });
  return ws;
}

function personName(rng: Prng): { name: string; local: string } {
  if (rng.chance(0.15)) {
    const [name, local] = rng.pick(NON_LATIN_NAMES);
    return { name, local };
  }
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const local = `${first}.${last}`.normalize("NFD").replace(/[^A-Za-z.]/g, "").toLowerCase();
  return { name: `${first} ${last}`, local };
}

function addAdminsAndTeams(ws: Workspace, rng: Prng): void {
  for (let i = 0; i < ADMIN_COUNT; i++) {
    const { name, local } = personName(rng);
    const id = String(5_000_001 + i);
    const email = `${local}@${ws.app.id_code}.example.com`;
    const admin: SimAdmin = {
      id,
      name,
      email,
      job_title: rng.pick(ADMIN_JOB_TITLES),
      away_mode_enabled: rng.chance(0.15),
      team_ids: [],
      author: { type: "admin", id, name, email },
    };
    ws.admins.push(admin);
  }
  const teamCount = rng.int(3, 4);
  for (let i = 0; i < teamCount; i++) {
    const id = String(6_000_001 + i);
    const name = TEAM_NAMES[i] ?? `Team ${i + 1}`;
    const team: SimTeam = {
      id,
      name,
      admin_ids: [],
      author: { type: "team", id, name, email: null },
    };
    ws.teams.push(team);
  }
  for (const admin of ws.admins) {
    const first = rng.pick(ws.teams);
    const teams = rng.chance(0.3) ? new Set([first, rng.pick(ws.teams)]) : new Set([first]);
    for (const team of teams) {
      admin.team_ids.push(team.id);
      team.admin_ids.push(admin.id);
    }
  }
}

interface ContactPlan {
  count: number;
  windowStart: number;
  now: number;
}

function addContacts(ws: Workspace, rng: Prng, plan: ContactPlan): void {
  const times: number[] = [];
  for (let i = 0; i < plan.count; i++) {
    // Most contacts predate the window so every conversation has someone to start it.
    const inWindow = i > 0 && rng.chance(0.2);
    const from = inWindow ? plan.windowStart : ws.app.created_at;
    const to = inWindow ? plan.now - 60 : plan.windowStart - 1;
    times.push(rng.int(from, Math.max(from, to)));
  }
  times.sort((a, b) => a - b);
  const salt = deriveSeed(ws.app.created_at, ws.app.id_code).toString(16).padStart(8, "0");
  times.forEach((createdAt, i) => {
    const role = rng.chance(0.7) ? "user" : "lead";
    const id = createdAt.toString(16).padStart(8, "0") + salt +
      (i + 1).toString(16).padStart(8, "0");
    const person = personName(rng);
    const name = role === "lead" && rng.chance(0.2) ? null : person.name;
    const email = rng.chance(role === "user" ? 0.9 : 0.4)
      ? `${person.local}${rng.int(1, 999)}@${rng.pick(EMAIL_DOMAINS)}`
      : null;
    const updatedAt = rng.int(createdAt, plan.now);
    const contact: SimContact = {
      id,
      external_id: role === "user" && rng.chance(0.8) ? `ext-${100_000 + i}` : null,
      role,
      email,
      phone: rng.chance(0.2) ? `+1 555 01${String(rng.int(0, 99)).padStart(2, "0")}` : null,
      name,
      created_at: createdAt,
      updated_at: updatedAt,
      signed_up_at: role === "user" ? createdAt : null,
      last_seen_at: rng.chance(0.8) ? rng.int(createdAt, updatedAt) : null,
      custom_attributes: {
        plan: rng.pick(["free", "pro", "enterprise"]),
        monthly_spend: rng.int(0, 5000),
        beta_tester: rng.chance(0.2),
      },
      tag_ids: rng.chance(0.3) ? [rng.pick(ws.tags).id] : [],
      author: { type: role, id, name, email },
    };
    ws.contacts.push(contact);
    ws.contactsById.set(id, contact);
  });
}

interface ConversationsPlan {
  count: number;
  windowStart: number;
  now: number;
  seed: number;
}

function addConversations(ws: Workspace, rng: Prng, plan: ConversationsPlan): void {
  const { count, windowStart, now } = plan;
  const created: number[] = [];
  for (let i = 0; i < count; i++) created.push(rng.int(windowStart, now - 60));
  created.sort((a, b) => a - b);
  const giants = new Set<number>();
  if (count >= 100) {
    const wanted = Math.max(1, Math.floor(count / 5000));
    // Giants come from the older 80% so their hundreds of parts have room in time.
    while (giants.size < wanted) giants.add(rng.int(0, Math.floor(count * 0.8)));
  }
  const pool = createBodyPool(new Prng(deriveSeed(plan.seed, "bodies")));
  // Quirks draw from their own stream so they do not reshuffle the rest of the workspace.
  const quirkRng = new Prng(deriveSeed(plan.seed, "quirks"));
  const pickBody = pool.pick;
  let contactLimit = 0;
  created.forEach((createdAt, i) => {
    while (
      contactLimit < ws.contacts.length && (ws.contacts[contactLimit]?.created_at ?? 0) <= createdAt
    ) {
      contactLimit++;
    }
    const contact = ws.contacts[rng.int(0, Math.max(0, contactLimit - 1))] ?? ws.contacts[0];
    if (!contact) throw new RangeError("generateWorkspace() produced no contacts");
    const partCount = giants.has(i) ? rng.int(520, 700) : randomPartCount(rng);
    const span = Math.min(
      now - createdAt,
      Math.round(
        giants.has(i) ? 10 * DAY : rng.exponential(1.5 * DAY) + partCount * rng.exponential(1800),
      ),
    );
    const partTimes: number[] = [];
    for (let p = 0; p < partCount; p++) {
      partTimes.push(createdAt + Math.floor(rng.next() * (span + 1)));
    }
    partTimes.sort((a, b) => a - b);
    ws.counters.conversation += rng.int(1, 5);
    const conversation = buildConversation(ws, rng, {
      id: String(ws.counters.conversation),
      createdAt,
      partTimes,
      contact,
      now,
      pickBody,
    });
    const quirks = drawQuirks(quirkRng, conversation);
    if (quirks) conversation.quirks = quirks;
    ws.conversations.push(conversation);
    ws.conversationsById.set(conversation.id, conversation);
  });
}

/**
 * Shapes real workspaces show now and then: no statistics yet, `teammates: null` where no
 * teammate wrote (as in the description's own examples), a teammate reference without an id.
 */
function drawQuirks(rng: Prng, conversation: SimConversation): SimQuirks | undefined {
  const quirks: SimQuirks = {};
  if (rng.chance(0.01)) quirks.nullStatistics = true;
  if (conversation.teammate_ids.length === 0 && rng.chance(0.5)) quirks.nullTeammates = true;
  else if (rng.chance(0.01)) quirks.nullTeammateIds = true;
  return Object.keys(quirks).length > 0 ? quirks : undefined;
}

/** Long-tailed part count: lognormal with median 6 and mean ≈ 10. */
function randomPartCount(rng: Prng): number {
  const n = Math.round(Math.exp(Math.log(6) + 1.0 * rng.normal()));
  return Math.min(RANDOM_PARTS_CAP, Math.max(0, n));
}

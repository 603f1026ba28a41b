/**
 * Live changes to a workspace, as a busy inbox produces them while a sync runs: new parts on
 * existing conversations, state changes, and brand-new conversations, all stamped "now".
 */
import { htmlBody } from "./content.ts";
import { appendParts, buildConversation, type PickBody } from "./conversation_builder.ts";
import type { Prng } from "./prng.ts";
import { refreshDerived } from "./statistics.ts";
import { addConversation, type SimConversation, type Workspace } from "./workspace.ts";

const CHANGE_KINDS = { parts: 60, state: 25, create: 15 } as const;

/** What one call to `mutate()` changed. */
export interface MutationResult {
  /** Unix seconds the changes were stamped with. */
  at: number;
  /** Conversations that got 1–3 new comments or notes. */
  partsAdded: string[];
  /** Conversations closed, reopened or snoozed. */
  stateChanged: string[];
  /** Conversations created. */
  created: string[];
  /** Every conversation above, each once. */
  touched: string[];
}

/** Options of {@link mutateWorkspace}. */
export interface MutateOptions {
  /** Number of changes to apply. Default 1. */
  count?: number;
  /** Time to stamp the changes with, Unix seconds. */
  now: number;
}

/** Applies `count` random changes to `ws` in place. */
export function mutateWorkspace(ws: Workspace, rng: Prng, options: MutateOptions): MutationResult {
  const result: MutationResult = {
    at: options.now,
    partsAdded: [],
    stateChanged: [],
    created: [],
    touched: [],
  };
  const pickBody: PickBody = (kind) => htmlBody(rng, kind);
  const count = Math.max(0, Math.floor(options.count ?? 1));
  for (let i = 0; i < count; i++) {
    const kind = ws.conversations.length === 0 ? "create" : rng.weighted(CHANGE_KINDS);
    if (kind === "create") {
      result.created.push(createConversation(ws, rng, options.now, pickBody));
      continue;
    }
    const conversation = rng.pick(ws.conversations);
    const at = Math.max(options.now, conversation.updated_at);
    if (kind === "parts") {
      const times = Array.from({ length: rng.int(1, 3) }, () => at);
      appendParts(ws, rng, conversation, {
        times,
        target: conversation.state,
        pickBody,
        now: at,
        messagesOnly: true,
      });
      result.partsAdded.push(conversation.id);
    } else {
      changeState(ws, rng, conversation, { at, pickBody });
      result.stateChanged.push(conversation.id);
    }
    refreshDerived(conversation);
  }
  result.touched = [...new Set([...result.partsAdded, ...result.stateChanged, ...result.created])];
  return result;
}

function changeState(
  ws: Workspace,
  rng: Prng,
  conversation: SimConversation,
  change: { at: number; pickBody: PickBody },
): void {
  const others = (["open", "closed", "snoozed"] as const).filter((s) => s !== conversation.state);
  appendParts(ws, rng, conversation, {
    times: [change.at],
    target: rng.pick(others),
    pickBody: change.pickBody,
    // A live snooze points into the future, up to three days ahead.
    now: change.at + 3 * 86_400,
  });
}

function createConversation(ws: Workspace, rng: Prng, at: number, pickBody: PickBody): string {
  // A contact merged into another cannot start a conversation: its id answers 404.
  const eligible = ws.contacts.filter((c) => c.created_at <= at && c.merged_into === undefined);
  const contact = eligible.length > 0 ? rng.pick(eligible) : rng.pick(ws.contacts);
  ws.counters.conversation += rng.int(1, 5);
  const conversation = buildConversation(ws, rng, {
    id: String(ws.counters.conversation),
    createdAt: at,
    partTimes: rng.chance(0.5) ? [] : [at],
    contact,
    now: at,
    pickBody,
  });
  addConversation(ws, conversation);
  return conversation.id;
}

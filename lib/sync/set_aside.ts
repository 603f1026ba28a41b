/**
 * The unreadable items of a list a sync reads whole (admins, teams, tags, ticket types, data
 * attributes): each goes to the quarantine (retried by the next run's listing, which reads the
 * whole list again), and the entries of that kind that the list now reads — or no longer has —
 * leave it.
 */
import { getLogger } from "@logtape/logtape";
import type { UnreadableItem } from "../intercom/paging.ts";
import type { Store } from "../store/store.ts";
import type { QuarantineKind } from "../store/sync_gaps.ts";

const log = getLogger(["fast-intercom", "sync"]);

/** An unreadable item of a list, with the id it is quarantined under (null: none to use). */
export interface UnreadableListItem extends UnreadableItem {
  endpoint: string;
}

/**
 * Quarantines `unreadable` (every unreadable item of every list of `kind` this run read) and
 * clears the other entries of `kind`; call in the transaction that stores the lists. Returns
 * the quarantined ids. An item without an id cannot be set aside: it is logged.
 */
export function setAsideUnreadable(
  store: Store,
  kind: QuarantineKind,
  unreadable: readonly UnreadableListItem[],
): string[] {
  const ids: string[] = [];
  for (const item of unreadable) {
    // The kind is ours, written into the message as a word; the rest are values.
    if (item.id === null) {
      log.warning(
        `a ${kind} from {endpoint} without a readable id cannot be read ({reason}); ` +
          "skipped, the next sync reads the list again",
        { kind, ...item },
      );
      continue;
    }
    log.warning(
      `${kind} {id} cannot be read ({reason}); quarantined, its stored copy kept, ` +
        "retried next run",
      { kind, ...item },
    );
    store.quarantine({ kind, id: item.id, reason: item.reason, endpoint: item.endpoint });
    ids.push(item.id);
  }
  const cleared = store.quarantined(kind).map((q) => q.id).filter((id) => !ids.includes(id));
  store.clearQuarantine(kind, cleared);
  return ids;
}

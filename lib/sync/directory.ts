/**
 * Admins, teams and tags: small, unpaginated lists, read whole every run and stored in one
 * transaction. One that cannot be read does not stop the sync: it is quarantined (its stored
 * row kept), the rest is stored, and the next run's listing tries it again.
 */
import { getLogger } from "@logtape/logtape";
import type { IntercomClient } from "../intercom/client.ts";
import { readAdmins, readTags, readTeams } from "../intercom/directory_api.ts";
import type { Store } from "../store/store.ts";
import { setAsideUnreadable } from "./set_aside.ts";

const log = getLogger(["fast-intercom", "sync"]);

/** Fetches and stores every admin, team and tag; returns the ids quarantined. */
export async function syncDirectory(
  store: Store,
  client: IntercomClient,
  signal?: AbortSignal,
): Promise<{ quarantined: string[] }> {
  const [admins, teams, tags] = await Promise.all([
    readAdmins(client, signal),
    readTeams(client, signal),
    readTags(client, signal),
  ]);
  const at = (endpoint: string, list: typeof admins.unreadable) =>
    list.map((u) => ({ ...u, endpoint }));
  const quarantined = store.transaction(() => {
    const keepAdmins = setAsideUnreadable(store, "admin", at("GET /admins", admins.unreadable));
    const keepTeams = setAsideUnreadable(store, "team", at("GET /teams", teams.unreadable));
    const keepTags = setAsideUnreadable(store, "tag", at("GET /tags", tags.unreadable));
    store.replaceAdmins(admins.items, keepAdmins);
    store.replaceTeams(teams.items, keepTeams);
    store.replaceTags(tags.items, keepTags);
    return [
      ...keepAdmins.map((id) => `admin ${id}`),
      ...keepTeams.map((id) => `team ${id}`),
      ...keepTags.map((id) => `tag ${id}`),
    ];
  });
  log.debug("stored {admins} admins, {teams} teams, {tags} tags", {
    admins: admins.items.length,
    teams: teams.items.length,
    tags: tags.items.length,
  });
  return { quarantined };
}

/**
 * The workspace's directory — admins, teams, tags — read item by item: one teammate, team or
 * tag Intercom answers in a shape that cannot be read is listed apart (id and reason) instead
 * of failing the whole list, so that a sync can set it aside and store the rest.
 *
 * @example
 * const { items, unreadable } = await readTags(client);
 */
import { z } from "zod";
import type { IntercomClient } from "./client.ts";
import type { RecordKind } from "./errors.ts";
import type { ItemsRead } from "./paging.ts";
import { type Admin, AdminSchema, type Tag, TagSchema, type Team, TeamSchema } from "./types.ts";

const envelope = z.object({ type: z.string() });

/** `GET /admins`: every teammate of the workspace, read one by one. */
export function readAdmins(
  client: IntercomClient,
  signal?: AbortSignal,
): Promise<ItemsRead<Admin>> {
  return readDirectoryList(client, signal, "/admins", AdminSchema, "admin", "admins");
}

/** `GET /teams`: every team of the workspace, read one by one. */
export function readTeams(client: IntercomClient, signal?: AbortSignal): Promise<ItemsRead<Team>> {
  return readDirectoryList(client, signal, "/teams", TeamSchema, "team", "teams");
}

/** `GET /tags`: every tag of the workspace, read one by one. */
export function readTags(client: IntercomClient, signal?: AbortSignal): Promise<ItemsRead<Tag>> {
  return readDirectoryList(client, signal, "/tags", TagSchema, "tag", "data");
}

/** `GET {path}`: the `list` of the body, each item read with `item` on its own. */
function readDirectoryList<S extends z.ZodTypeAny>(
  client: IntercomClient,
  signal: AbortSignal | undefined,
  path: string,
  item: S,
  kind: RecordKind,
  list: string,
): Promise<ItemsRead<z.output<S>>> {
  return client.requestItems({
    method: "GET",
    path,
    signal,
    schema: envelope,
    item,
    records: { kind, endpoint: `GET ${path}`, list },
  });
}

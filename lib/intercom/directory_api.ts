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
import type { ItemsRead } from "./paging.ts";
import { type Admin, AdminSchema, type Tag, TagSchema, type Team, TeamSchema } from "./types.ts";

const envelope = z.object({ type: z.string() });

/** `GET /admins`: every teammate of the workspace, read one by one. */
export function readAdmins(
  client: IntercomClient,
  signal?: AbortSignal,
): Promise<ItemsRead<Admin>> {
  return client.requestItems({
    method: "GET",
    path: "/admins",
    signal,
    schema: envelope,
    item: AdminSchema,
    records: { kind: "admin", endpoint: "GET /admins", list: "admins" },
  });
}

/** `GET /teams`: every team of the workspace, read one by one. */
export function readTeams(client: IntercomClient, signal?: AbortSignal): Promise<ItemsRead<Team>> {
  return client.requestItems({
    method: "GET",
    path: "/teams",
    signal,
    schema: envelope,
    item: TeamSchema,
    records: { kind: "team", endpoint: "GET /teams", list: "teams" },
  });
}

/** `GET /tags`: every tag of the workspace, read one by one. */
export function readTags(client: IntercomClient, signal?: AbortSignal): Promise<ItemsRead<Tag>> {
  return client.requestItems({
    method: "GET",
    path: "/tags",
    signal,
    schema: envelope,
    item: TagSchema,
    records: { kind: "tag", endpoint: "GET /tags", list: "data" },
  });
}

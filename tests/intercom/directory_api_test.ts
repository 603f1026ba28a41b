import assert from "node:assert/strict";
import { IntercomClient } from "../../lib/intercom/client.ts";
import { readAdmins, readTags, readTeams } from "../../lib/intercom/directory_api.ts";
import { z } from "zod";
import { ApiError, MalformedRecordError } from "../../lib/intercom/errors.ts";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";

Deno.test("readAdmins(), readTeams() and readTags() list an unreadable item apart and return the rest", async () => {
  const sim = await startSimulator({ conversations: 10, seed: 5 });
  try {
    const api = new IntercomClient({ baseUrl: sim.url, token: DEFAULT_SIMULATOR_TOKEN });
    const ws = sim.workspace;
    const clean = await readTags(api);
    assert.deepEqual(clean.unreadable, []);
    assert.deepEqual(clean.items.map((t) => t.id), ws.tags.map((t) => t.id));
    ws.admins[0]!.quirks = { malformed: true };
    ws.teams[1]!.quirks = { malformed: true };
    ws.tags[0]!.quirks = { malformed: true };
    const strict = await api.listTags().catch((e) => e);
    assert.ok(strict instanceof MalformedRecordError, "the whole-list read fails");
    const [admins, teams, tags] = await Promise.all([
      readAdmins(api),
      readTeams(api),
      readTags(api),
    ]);
    assert.deepEqual(admins.unreadable.map((u) => u.id), [ws.admins[0]!.id]);
    assert.deepEqual(teams.unreadable.map((u) => u.id), [ws.teams[1]!.id]);
    assert.deepEqual(tags.unreadable, [
      { id: ws.tags[0]!.id, reason: 'field "name": Expected string, received null' },
    ]);
    assert.deepEqual(
      [admins.items.length, teams.items.length, tags.items.length],
      [ws.admins.length - 1, ws.teams.length - 1, ws.tags.length - 1],
    );
    // An envelope that cannot be read is still the whole call's failure.
    const broken = await api.requestItems({
      method: "GET",
      path: "/tags",
      schema: z.object({ type: z.literal("nope") }),
      item: z.unknown(),
      records: { kind: "tag", endpoint: "GET /tags", list: "data" },
    }).catch((e) => e);
    assert.ok(broken instanceof ApiError && !(broken instanceof MalformedRecordError));
  } finally {
    await sim.close();
  }
});

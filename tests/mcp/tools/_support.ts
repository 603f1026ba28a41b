/** Tickets, companies, ticket types and data attributes synced into an MCP test's store. */
import { IntercomClient } from "../../../lib/intercom/client.ts";
import { DEFAULT_SIMULATOR_TOKEN } from "../../../lib/simulator/mod.ts";
import { Store } from "../../../lib/store/store.ts";
import { syncCompanies } from "../../../lib/sync/companies_stream.ts";
import type { StreamContext } from "../../../lib/sync/stream_context.ts";
import { syncSupportDirectory } from "../../../lib/sync/support_directory.ts";
import { syncTickets } from "../../../lib/sync/tickets_stream.ts";
import { realSleep, systemClock, unixSeconds } from "../../../lib/util/clock.ts";
import type { SyncedFixture } from "../_fixtures.ts";

/** Runs the ticket, company and directory streams of a full sync into the fixture's store. */
export async function syncSupport(fx: SyncedFixture): Promise<void> {
  using store = Store.open(fx.settings.paths.storeFile);
  const ctx: StreamContext = {
    store,
    client: new IntercomClient({ baseUrl: fx.sim.url, token: DEFAULT_SIMULATOR_TOKEN }),
    clock: systemClock,
    sleep: realSleep,
    quarantine: () => {},
    unquarantine: () => {},
  };
  const now = unixSeconds(systemClock);
  await syncSupportDirectory(ctx);
  await syncCompanies(ctx, { mode: "all", now });
  await syncTickets(ctx, { mode: "all", now });
}

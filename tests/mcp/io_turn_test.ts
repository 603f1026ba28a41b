import assert from "node:assert/strict";
import { setImmediate } from "node:timers";
import type { NextTurn } from "../../lib/mcp/call_turns.ts";
import { openIoTurn } from "../../lib/mcp/io_turn.ts";

/** How many turns of `next` pass before a socket's pending read sees bytes already sent. */
async function turnsUntilRead(next: NextTurn): Promise<number> {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const [a, b] = await Promise.all([
    Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }),
    listener.accept(),
  ]);
  try {
    let seen = false;
    const read = b.read(new Uint8Array(8)).then(() => void (seen = true));
    await a.write(new Uint8Array([1]));
    let turns = 0;
    while (!seen && turns < 1000) {
      await new Promise<void>((resolve) => next(resolve));
      turns++;
    }
    await read;
    return turns;
  } finally {
    a.close();
    b.close();
  }
}

Deno.test("an IoTurn lets the event loop poll sockets on every turn (setImmediate does not)", async () => {
  const dir = await Deno.makeTempDir();
  const turn = await openIoTurn(dir);
  try {
    // at most one turn (none if the loop already polled while the byte was being sent)
    for (let i = 0; i < 5; i++) assert.ok((await turnsUntilRead(turn.next)) <= 1);
    // what the IoTurn is for: immediates run dozens of times between polls
    const immediate: NextTurn = (callback) => void setImmediate(callback);
    assert.ok((await turnsUntilRead(immediate)) > 1);
    assert.deepEqual([...Deno.readDirSync(dir)], [], "the socket's path is removed");
  } finally {
    turn.close();
    turn.close();
    await Deno.remove(dir, { recursive: true });
  }
  // once closed, turns still come (on timers)
  await new Promise<void>((resolve) => turn.next(resolve));
});

import assert from "node:assert/strict";
import { LineSplitStream } from "../../lib/util/lines.ts";

async function split(chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  const stream = ReadableStream.from(chunks).pipeThrough(new LineSplitStream());
  for await (const line of stream) out.push(line);
  return out;
}

Deno.test("LineSplitStream splits across chunk boundaries and strips CRLF", async () => {
  assert.deepEqual(await split(["a\nb", "c\r\n", "\nd"]), ["a", "bc", "", "d"]);
  assert.deepEqual(await split(["x\r", "\ny\r"]), ["x", "y"]);
  assert.deepEqual(await split([]), []);
});

import assert from "node:assert/strict";
import { join } from "node:path";
import { archiveLines, readGzip } from "../../lib/logs/compressed.ts";
import { gzipBytes } from "../../lib/util/tar.ts";
import { withTempDir } from "../_fixtures/fs.ts";

Deno.test("archiveLines() gives every line, or those a prefilter keeps, of a gzip file", async () => {
  await withTempDir("compressed-", async (dir) => {
    const path = join(dir, "main.20260101T000000000Z.log.gz");
    const text = 'a "level":"x"\r\nb Retrying GET /me\nc\n';
    await Deno.writeFile(path, await gzipBytes(new TextEncoder().encode(text)));
    assert.equal(new TextDecoder().decode(await readGzip(path)), text);
    assert.deepEqual(await archiveLines(path, null), ['a "level":"x"', "b Retrying GET /me", "c"]);
    assert.deepEqual(
      await archiveLines(path, { needles: ["Retrying GET"], head: null }),
      ["b Retrying GET /me"],
    );
  });
});

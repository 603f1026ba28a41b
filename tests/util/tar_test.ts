import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipBytes, tarBytes } from "../../lib/util/tar.ts";
import { withTempDir } from "../_fixtures/fs.ts";

Deno.test("tarBytes() + gzipBytes() make an archive GNU tar lists and extracts", async () => {
  await withTempDir("tar-", async (dir) => {
    const text = "héllo\n".repeat(100);
    const archive = await gzipBytes(tarBytes([
      { name: "logs/main.log", data: new TextEncoder().encode(text), mtime: 1_780_000_000 },
      { name: "diagnosis.json", data: new TextEncoder().encode("{}\n") },
    ]));
    const path = join(dir, "bundle.tar.gz");
    await Deno.writeFile(path, archive);
    const list = await new Deno.Command("tar", { args: ["-tzvf", path], stdout: "piped" }).output();
    assert.ok(list.success);
    const listing = new TextDecoder().decode(list.stdout);
    assert.match(listing, /logs\/main\.log/);
    assert.match(listing, /diagnosis\.json/);
    const out = join(dir, "out");
    await Deno.mkdir(out);
    const extract = await new Deno.Command("tar", { args: ["-xzf", path, "-C", out] }).output();
    assert.ok(extract.success);
    assert.equal(await Deno.readTextFile(join(out, "logs", "main.log")), text);
    assert.throws(() => tarBytes([{ name: "x".repeat(101), data: new Uint8Array() }]), RangeError);
  });
});

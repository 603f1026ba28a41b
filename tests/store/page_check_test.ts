import assert from "node:assert/strict";
import { join } from "node:path";
import { checkHeader, samplePages } from "../../lib/store/page_check.ts";
import { Store } from "../../lib/store/store.ts";
import { clockAt, conversation, part, T0, withTempDir } from "./_fixtures.ts";

/** A store of a few hundred pages: conversations with replies and some long (overflow) bodies. */
function buildStore(path: string): void {
  using store = Store.open(path, { clock: clockAt(T0) });
  store.transaction(() => {
    for (let i = 0; i < 200; i++) {
      const long = i % 10 === 0 ? " lorem ipsum dolor".repeat(600) : "";
      store.upsertConversation(
        conversation({
          id: String(1000 + i),
          updated_at: T0 + i,
          body: `<p>Question ${i} about invoices and refunds${long}</p>`,
          tags: [{ id: `t${i % 7}`, name: `tag ${i % 7}` }],
          parts: [1, 2, 3].map((n) => part({ id: `p${i}-${n}`, body: `reply ${n} to ${i}` })),
        }),
        T0,
      );
    }
  });
}

function overwrite(path: string, offset: number, bytes: Uint8Array): void {
  using file = Deno.openSync(path, { read: true, write: true });
  file.seekSync(offset, Deno.SeekMode.Start);
  file.writeSync(bytes);
}

Deno.test("samplePages() reads every page of a small sound store and finds nothing", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "data.db");
    buildStore(path);
    const sample = samplePages(path);
    assert.ok(sample.pageCount > 100, `pages: ${sample.pageCount}`);
    assert.ok(sample.checked >= sample.pageCount - 2, "all pages but the free ones");
    assert.deepEqual(sample.problems, []);
  });
});

Deno.test("samplePages() finds 40 KB overwritten mid-file, with random bytes or zeros", async () => {
  await withTempDir((dir) => {
    for (const fill of ["random", "zeros"] as const) {
      const path = join(dir, `${fill}.db`);
      buildStore(path);
      const size = Deno.statSync(path).size;
      const bytes = new Uint8Array(40 * 1024);
      if (fill === "random") crypto.getRandomValues(bytes.subarray(0, 65536));
      overwrite(path, Math.floor(size / 2) + 123, bytes); // not page-aligned: a torn page too
      const sample = samplePages(path);
      assert.ok(sample.problems.length > 0, `${fill}: nothing found`);
      assert.match(sample.problems[0]!, /^page \d+: /);
    }
  });
});

Deno.test("samplePages() reads at most maxPages, evenly spread, and still sees a wide wound", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "data.db");
    buildStore(path);
    const sound = samplePages(path, { maxPages: 16 });
    assert.ok(sound.checked <= 16 && sound.checked >= 14, `checked ${sound.checked}`);
    assert.deepEqual(sound.problems, []);
    const pageSize = sound.pageSize;
    // a wound wider than the stride (pageCount / 16 pages) cannot fall between samples
    const stride = Math.ceil(sound.pageCount / 16);
    overwrite(path, 3 * stride * pageSize, new Uint8Array((stride + 1) * pageSize));
    assert.ok(samplePages(path, { maxPages: 16 }).problems.length > 0);
  });
});

Deno.test("checkHeader() refuses what is not a SQLite file, or a torn one", () => {
  const header = new Uint8Array(100);
  header.set(new TextEncoder().encode("SQLite format 3\0"));
  new DataView(header.buffer).setUint16(16, 4096);
  header.set([0, 64, 32, 32], 20);
  assert.equal(checkHeader(header, 8192), null);
  assert.match(checkHeader(header, 8000)!, /not a whole number of 4096-byte pages/);
  assert.match(checkHeader(new Uint8Array(100), 8192)!, /does not start with the SQLite header/);
  const odd = header.slice();
  new DataView(odd.buffer).setUint16(16, 1000);
  assert.match(checkHeader(odd, 8000)!, /impossible page size \(1000\)/);
});

Deno.test("samplePages() with another offset reads other pages: a narrow wound missed at 0 is found", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "data.db");
    buildStore(path);
    const { pageCount, pageSize } = samplePages(path, { maxPages: 16 });
    const stride = pageCount / 16;
    // one zeroed page between the pages an offset-0 sample reads (pages 1 + floor(i * stride))
    const wounded = 1 + Math.floor(4 * stride) + Math.floor(stride / 2);
    overwrite(path, (wounded - 1) * pageSize, new Uint8Array(pageSize));
    assert.deepEqual(samplePages(path, { maxPages: 16, offset: 0 }).problems, []);
    const offsets = Array.from({ length: 20 }, (_, k) => k / 20);
    const found = offsets.filter((offset) =>
      samplePages(path, { maxPages: 16, offset }).problems.some((p) =>
        p.startsWith(`page ${wounded}:`)
      )
    );
    assert.ok(found.length > 0, "some offset reads the wounded page");
  });
});

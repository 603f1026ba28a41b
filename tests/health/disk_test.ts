import assert from "node:assert/strict";
import { join } from "node:path";
import { diskSpace, existingAncestor, parseDfOutput } from "../../lib/health/disk.ts";

Deno.test("parseDfOutput() reads POSIX df -Pk output, names with spaces included", () => {
  const cases: [string, { freeBytes: number; totalBytes: number } | null][] = [
    [
      "Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/vda 264212084 24035552 82355360 23% /\n",
      { freeBytes: 82355360 * 1024, totalBytes: 264212084 * 1024 },
    ],
    [
      "Filesystem 1024-blocks Used Available Capacity Mounted on\nmap auto home 100 60 40 60% /System/Volumes/Data/home\n",
      { freeBytes: 40 * 1024, totalBytes: 100 * 1024 },
    ],
    ["", null],
    ["df: /nope: No such file or directory", null],
    ["Filesystem 1024-blocks Used Available Capacity Mounted on\n", null],
  ];
  for (const [text, expected] of cases) assert.deepEqual(parseDfOutput(text), expected, text);
});

Deno.test("existingAncestor() walks up to a directory that exists", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(await existingAncestor(join(dir, "a", "b", "c")), dir);
    assert.equal(await existingAncestor(dir), dir);
  } finally {
    await Deno.remove(dir);
  }
});

Deno.test("diskSpace() asks df about the nearest existing directory; null without df", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const asked: string[] = [];
    const space = await diskSpace(join(dir, "data"), {
      runDf: (d) => {
        asked.push(d);
        return Promise.resolve(
          "Filesystem 1024-blocks Used Available Capacity Mounted on\nx 10 5 5 50% /\n",
        );
      },
    });
    assert.deepEqual(asked, [dir]);
    assert.deepEqual(space, { freeBytes: 5120, totalBytes: 10240, path: dir });
    assert.equal(await diskSpace(dir, { runDf: () => Promise.resolve(null) }), null);
    const real = await diskSpace(dir);
    assert.ok(real === null || real.freeBytes > 0, "the real df works or is absent");
  } finally {
    await Deno.remove(dir);
  }
});

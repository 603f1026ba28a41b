import assert from "node:assert/strict";
import { join } from "node:path";
import { followFile, mergeLive } from "../../lib/logs/follow.ts";

/** Collects lines from `gen` until `want` of them arrived or `timeoutMs` passed. */
async function take(gen: AsyncGenerator<string[]>, want: number, timeoutMs = 3000) {
  const got: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < want && Date.now() < deadline) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((
      r,
    ) => (timer = setTimeout(() => r(null), deadline - Date.now())));
    const next = await Promise.race([gen.next(), timeout]);
    clearTimeout(timer);
    if (next === null || next.done) break;
    got.push(...next.value);
  }
  return got;
}

/** Appends with a separate process, as another program writing the log would. */
async function appendFromOtherProcess(path: string, text: string): Promise<void> {
  const out = await new Deno.Command("sh", {
    args: ["-c", 'printf "%s" "$1" >> "$2"', "sh", text, path],
  }).output();
  assert.equal(out.code, 0);
}

async function withFollower(
  options: { watch?: boolean; from?: number; initial?: string },
  fn: (path: string, gen: AsyncGenerator<string[]>) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "log-follow-" });
  const path = join(dir, "main.log");
  await Deno.writeTextFile(path, options.initial ?? "old line\n");
  const controller = new AbortController();
  const gen = followFile(path, {
    signal: controller.signal,
    ...(options.watch === undefined ? {} : { watch: options.watch, pollIntervalMs: 20 }),
    ...(options.from === undefined ? {} : { from: options.from }),
  });
  try {
    await fn(path, gen);
  } finally {
    controller.abort();
    await gen.return(undefined);
    await Deno.remove(dir, { recursive: true });
  }
}

for (const watch of [true, false]) {
  const how = watch ? "with file events" : "by polling";
  Deno.test(`followFile() sees lines appended by another process (${how})`, async () => {
    await withFollower({ watch }, async (path, gen) => {
      const first = gen.next(); // starts following at the current end
      await new Promise((r) => setTimeout(r, 50));
      await appendFromOtherProcess(path, "new one\nnew two\n");
      const got = [...((await first).value ?? []), ...(await take(gen, 0, 0))];
      const rest = got.length < 2 ? await take(gen, 2 - got.length) : [];
      assert.deepEqual([...got, ...rest], ["new one", "new two"]);
    });
  });

  Deno.test(`followFile() continues across a rotation (${how})`, async () => {
    await withFollower({ watch }, async (path, gen) => {
      const pending = take(gen, 3);
      await new Promise((r) => setTimeout(r, 50));
      await appendFromOtherProcess(path, "before rotation\n");
      await new Promise((r) => setTimeout(r, 60));
      await appendFromOtherProcess(path, "last of the old file\n");
      await Deno.rename(path, `${path}.1`);
      await appendFromOtherProcess(path, "first of the new file\n");
      assert.deepEqual(await pending, [
        "before rotation",
        "last of the old file",
        "first of the new file",
      ]);
    });
  });

  Deno.test(`followFile() starts over after a truncation (${how})`, async () => {
    await withFollower(
      { watch, initial: "a long first line of the file\nsecond line\n" },
      async (path, gen) => {
        const pending = take(gen, 1);
        await new Promise((r) => setTimeout(r, 50));
        await Deno.truncate(path, 0);
        await new Promise((r) => setTimeout(r, 60));
        await appendFromOtherProcess(path, "after truncation\n");
        assert.deepEqual(await pending, ["after truncation"]);
      },
    );
  });
}

Deno.test("followFile() holds back a partial line until its end is written", async () => {
  await withFollower({ from: 0, initial: "" }, async (path, gen) => {
    const pending = take(gen, 1);
    await appendFromOtherProcess(path, '{"half": ');
    await new Promise((r) => setTimeout(r, 80));
    await appendFromOtherProcess(path, '"done"}\n');
    assert.deepEqual(await pending, ['{"half": "done"}']);
  });
});

Deno.test("followFile() from offset 0 reads the existing lines first, and waits for a missing file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "log-follow-" });
  const controller = new AbortController();
  const path = join(dir, "later.log");
  const gen = followFile(path, { signal: controller.signal, from: 0 });
  try {
    const pending = take(gen, 2);
    await new Promise((r) => setTimeout(r, 50));
    await appendFromOtherProcess(path, "created\nthen more\n");
    assert.deepEqual(await pending, ["created", "then more"]);
  } finally {
    controller.abort();
    await gen.return(undefined);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("followFile() ends when its signal aborts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "log-follow-" });
  const controller = new AbortController();
  try {
    const gen = followFile(join(dir, "main.log"), { signal: controller.signal });
    const next = gen.next();
    await new Promise((r) => setTimeout(r, 30));
    controller.abort();
    assert.equal((await next).done, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mergeLive() interleaves sources as their items arrive", async () => {
  async function* source(name: string, delays: number[]) {
    for (const [i, ms] of delays.entries()) {
      await new Promise((r) => setTimeout(r, ms));
      yield `${name}${i}`;
    }
  }
  const got: string[] = [];
  for await (
    const { source: index, items } of mergeLive([source("a", [5, 60]), source("b", [30])])
  ) {
    got.push(`${index}:${items}`);
  }
  assert.deepEqual(got, ["0:a0", "1:b0", "0:a1"]);
});

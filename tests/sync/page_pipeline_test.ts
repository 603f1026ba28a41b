import assert from "node:assert/strict";
import { PagePipeline } from "../../lib/sync/page_pipeline.ts";

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("PagePipeline commits pages in the order added, whatever order their work ends in", async () => {
  const pipeline = new PagePipeline({ maxInFlight: 3 });
  const gates = [deferred<number>(), deferred<number>(), deferred<number>()];
  const committed: number[] = [];
  const started: number[] = [];
  for (const [i, gate] of gates.entries()) {
    await pipeline.add(() => {
      started.push(i);
      return gate.promise;
    }, (n) => committed.push(n));
  }
  assert.deepEqual(started, [0, 1, 2], "every page's work runs at once");
  gates[2]!.resolve(2);
  gates[1]!.resolve(1);
  await tick();
  assert.deepEqual(committed, [], "nothing commits before the first page");
  gates[0]!.resolve(0);
  await pipeline.finish();
  assert.deepEqual(committed, [0, 1, 2]);
});

Deno.test("PagePipeline.add() waits while maxInFlight pages are uncommitted", async () => {
  const pipeline = new PagePipeline({ maxInFlight: 2 });
  const gates = [deferred(), deferred(), deferred()];
  await pipeline.add(() => gates[0]!.promise, () => {});
  await pipeline.add(() => gates[1]!.promise, () => {});
  let third = false;
  const adding = pipeline.add(() => {
    third = true;
    return gates[2]!.promise;
  }, () => {});
  await tick();
  assert.equal(third, false, "the third page waits");
  gates[0]!.resolve();
  await adding;
  assert.equal(third, true, "and starts once the first is committed");
  gates[1]!.resolve();
  gates[2]!.resolve();
  await pipeline.finish();
});

Deno.test("PagePipeline stops at the first failure: aborts the work in flight, commits only complete pages in order", async () => {
  const pipeline = new PagePipeline({ maxInFlight: 4 });
  const committed: number[] = [];
  const first = deferred<number>();
  let aborted: unknown = null;
  await pipeline.add(() => first.promise, (n) => committed.push(n));
  const second = deferred<number>();
  await pipeline.add(() => second.promise, () => committed.push(2));
  await pipeline.add(
    (signal) =>
      new Promise((_, reject) =>
        signal.addEventListener("abort", () => {
          aborted = signal.reason;
          reject(new Error("aborted"));
        })
      ),
    () => committed.push(3),
  );
  second.reject(new Error("page 2 failed"));
  await tick();
  assert.match(String(aborted), /page 2 failed/, "work in flight is aborted with the failure");
  first.resolve(1);
  await assert.rejects(pipeline.finish(), /page 2 failed/);
  assert.deepEqual(committed, [1], "the complete page before the failure is committed");
  await assert.rejects(pipeline.add(() => Promise.resolve(), () => {}), /page 2 failed/);
});

Deno.test("PagePipeline aborted by the caller's signal rejects new pages with its reason", async () => {
  const controller = new AbortController();
  const pipeline = new PagePipeline({ signal: controller.signal });
  controller.abort(new Error("interrupted"));
  assert.equal(pipeline.signal.aborted, true);
  await assert.rejects(pipeline.add(() => Promise.resolve(), () => {}), /interrupted/);
});

/**
 * The progress of one run's window, as the page runner reports it: one counter `done`
 * (conversations of the window processed by this run and the interrupted runs it continues)
 * against `total`, the pages committed, and the line and figures sent to the progress
 * operation ("batch 3/12: 40 fetched, 410 unchanged").
 */
import { type OperationHandle, RATE_CEILING } from "../progress/progress.ts";
import { countsJson, type RunCounts } from "./run_record.ts";

/** What {@link RunProgress} starts from and reports to. */
export interface RunProgressDeps {
  /** Where progress goes; none without one. */
  op: OperationHandle | undefined;
  /** What resumed runs had done: conversations processed and pages committed. */
  plan: { done: number; pagesDone: number };
  /** The run's counters now, shown with each update. */
  counts: () => RunCounts;
  /** The API's request ceiling per second (items/s and ETA are capped by it), or null. */
  ceiling: () => number | null;
}

/** Where a page's commit puts the run: its page number and the window's conversations done. */
export interface CommitPosition {
  pageNo: number;
  done: number;
}

/** The progress counters of a run and their reports. */
export class RunProgress {
  readonly #deps: RunProgressDeps;
  #done: number;
  #committedDone: number;
  #total: number;
  #pagesDone: number;
  #totalPages: number | null = null;
  #announced = false;

  constructor(deps: RunProgressDeps) {
    this.#deps = deps;
    this.#done = deps.plan.done;
    this.#committedDone = deps.plan.done;
    this.#total = deps.plan.done;
    this.#pagesDone = deps.plan.pagesDone;
  }

  /** The window's conversations: the first search's total, plus what resumed runs had done. */
  get total(): number {
    return this.#total;
  }

  /** Conversations outside the window to work on too (fetched again). */
  addToTotal(n: number): void {
    this.#total += n;
  }

  /** Whether a search has told the window's total. */
  get announced(): boolean {
    return this.#announced;
  }

  /** The first search of the run tells the whole window's total: progress gets a true total. */
  announce(totalCount: number, perPage: number): void {
    if (this.#announced) return;
    this.#announced = true;
    this.#total += totalCount;
    this.#totalPages = this.#pagesDone + Math.ceil(totalCount / perPage);
    this.#deps.op?.update(`Found ${totalCount} conversations to check`, {
      current: this.#done,
      total: this.#total,
    });
  }

  /** Moves the progress counter by `n` processed conversations. */
  advance(n: number): void {
    if (n === 0) return;
    this.#done += n;
    // Conversations changed while paging can make the window larger than its first total.
    if (this.#done > this.#total) this.#total = this.#done;
    this.report();
  }

  /** Where committing a page of `items` puts the run (a page not from a search adds none). */
  nextCommit(fromSearch: boolean, items: number): CommitPosition {
    return fromSearch
      ? { pageNo: this.#pagesDone + 1, done: this.#committedDone + items }
      : { pageNo: this.#pagesDone, done: this.#committedDone };
  }

  /** The page at `position` is committed. */
  committed(position: CommitPosition): void {
    this.#pagesDone = position.pageNo;
    this.#committedDone = position.done;
    this.report();
  }

  /** Sends the current line and figures to the operation. */
  report(): void {
    const op = this.#deps.op;
    if (!op) return;
    const c = this.#deps.counts();
    const ceiling = this.#deps.ceiling();
    const pageNo = this.#pagesDone + 1;
    const batches = this.#totalPages
      ? `batch ${Math.min(pageNo, Math.max(this.#totalPages, this.#pagesDone))}/${
        Math.max(this.#totalPages, this.#pagesDone)
      }`
      : `batch ${pageNo}`;
    op.update(
      `${batches}: ${c.conversationsFetched} fetched, ${c.conversationsSkipped} unchanged`,
      {
        current: this.#done,
        total: this.#total,
        batch: pageNo,
        batches: this.#totalPages,
        ...countsJson(c),
        // One request per fetched conversation: the API's rate limit caps items/s and the ETA.
        ...(ceiling !== null ? { [RATE_CEILING]: ceiling } : {}),
      },
    );
  }
}

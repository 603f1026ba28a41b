/**
 * Checking the order a conversation search answers in. The sync asks for `updated_at`
 * ascending, which Intercom honours in practice, but the 2.11 description of conversation
 * search documents no `sort`. Resuming from the middle of a search ("every conversation
 * updated before X is stored") is only right when the pages really come in that order, so the
 * order is checked item by item, and a resume point is given only while the search has shown
 * itself ascending: no item lower than the one before, and at least one step up (a page of
 * equal values proves nothing). Paging through a search to its end stays complete whatever
 * the order; only the resume point depends on it.
 */

/** The order one search has shown so far. */
export class SearchOrder {
  #last: number | null = null;
  #rose = false;
  #fell = false;

  /** Sees the next items' `updated_at`, in the order the search returned them. */
  observe(updatedAts: readonly number[]): void {
    for (const value of updatedAts) {
      if (this.#last !== null) {
        if (value < this.#last) this.#fell = true;
        else if (value > this.#last) this.#rose = true;
      }
      this.#last = value;
    }
  }

  /** True once an item came lower than the one before it. */
  get unsorted(): boolean {
    return this.#fell;
  }

  /**
   * Where a resumed run may restart this search (inclusive), after the items seen so far:
   * the latest `updated_at` while the order is proven ascending, else null (from its start).
   */
  resumePoint(): number | null {
    return this.#rose && !this.#fell ? this.#last : null;
  }
}

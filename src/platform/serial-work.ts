/**
 * Work done one piece at a time, in the order it was handed in, off the
 * caller's path: bus listeners that must record events in order, and the
 * pager's kicks. A failure goes to its handler and never stops the line.
 */
export class SerialWork {
  private tail: Promise<void> = Promise.resolve();

  add(work: () => Promise<unknown>, onError: (error: unknown) => void): void {
    this.tail = this.tail.then(work).then(
      () => undefined,
      (error: unknown) => onError(error),
    );
  }

  /** Resolves once everything added so far, and whatever that added, is done (tests, shutdown). */
  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.tail) {
      seen = this.tail;
      await seen;
    }
  }
}

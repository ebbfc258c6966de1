// An async lock: the work handed to `run` executes one piece at a time, in the order it was handed in.
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` after everything handed in before it has settled; resolves or rejects as `work` does. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

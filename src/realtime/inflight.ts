/**
 * Counts events that are queued for or being delivered to subscribers of one server, so a graceful
 * shutdown can wait until they are sent before closing the sockets.
 */
export class InflightDeliveries {
  private count = 0;
  private waiters: (() => void)[] = [];

  get size(): number {
    return this.count;
  }

  add(n = 1): void {
    this.count += n;
  }

  done(n = 1): void {
    this.count = Math.max(0, this.count - n);
    if (this.count === 0) this.waiters.splice(0).forEach((wake) => wake());
  }

  /** Resolves when nothing is in flight, or after `timeoutMs` (whichever comes first). */
  idle(timeoutMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

import type { InvocationRecord } from "../local/lambdaServer";

/** The invocations a local Lambda server reported, queried by time window (`performance.now()` milliseconds). */
export class InvocationLog {
  private readonly records: InvocationRecord[] = [];

  /** Give this to the local stack as `onInvocation`. */
  readonly add = (record: InvocationRecord): void => {
    this.records.push(record);
  };

  /** Invocations that arrived within [from, to]. */
  within(from: number, to: number): InvocationRecord[] {
    return this.records.filter((record) => record.start >= from && record.start <= to);
  }

  /**
   * Wall time within [from, to] during which at least one invocation was in flight: the part of a run the caller
   * spent waiting on Lambdas. Overlapping invocations count once, so concurrency cannot inflate it.
   */
  busyMs(from: number, to: number): number {
    const spans = this.records
      .map((record) => [Math.max(record.start, from), Math.min(record.end, to)] as const)
      .filter(([start, end]) => end > start)
      .sort((a, b) => a[0] - b[0]);
    let busy = 0;
    let reached = from;
    for (const [start, end] of spans) {
      if (end <= reached) continue;
      busy += end - Math.max(start, reached);
      reached = end;
    }
    return busy;
  }
}

import type { AwsCall } from "./motoFront";
import type { InvocationRecord } from "./lambdaServer";

/** One invocation and the AWS calls it made. */
export interface InvocationCalls {
  invocation: InvocationRecord;
  calls: AwsCall[];
  /**
   * Another invocation of the same function was in flight at the same time: calls are told apart by the function's
   * credentials and the time they arrived, so those of overlapping invocations cannot be, and both get them all.
   */
  overlapping: boolean;
}

/**
 * The AWS calls the local stack's functions made, by invocation. Each function signs with credentials of its own (an
 * access key id per function in either mode), so a call belongs to the invocation of the function that signed it
 * which was in flight when the call arrived.
 */
export class AwsCallLog {
  private readonly calls: AwsCall[] = [];
  private readonly invocations: InvocationRecord[] = [];

  /** `functionOf` names the function whose credentials carry an access key id, if any. */
  constructor(private readonly functionOf: (accessKeyId: string) => string | undefined) {}

  /** Give this to the moto front as `onCall`. */
  readonly addCall = (call: AwsCall): void => {
    this.calls.push(call);
  };

  /** Give this to the Lambda server as `onInvocation`. */
  readonly addInvocation = (record: InvocationRecord): void => {
    this.invocations.push(record);
  };

  /** `performance.now()` now: pass it to {@link AwsCallLog.since} to see only what comes after. */
  mark(): number {
    return performance.now();
  }

  /** Invocations that arrived at or after `from` and were answered, in arrival order, each with its calls. */
  since(from = 0): InvocationCalls[] {
    const chosen = this.invocations.filter((record) => record.start >= from).sort((a, b) => a.start - b.start);
    return chosen.map((invocation) => ({
      invocation,
      calls: this.calls.filter((call) => call.at >= invocation.start && call.at <= invocation.end && this.functionOf(call.accessKeyId) === invocation.functionName),
      overlapping: this.invocations.some(
        (other) => other !== invocation && other.functionName === invocation.functionName && other.start < invocation.end && other.end > invocation.start,
      ),
    }));
  }
}

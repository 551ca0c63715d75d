import { AwsCallLog } from "../../local/AwsCallLog";
import type { AwsCall } from "../../local/motoFront";
import type { InvocationRecord } from "../../local/lambdaServer";

const functionOf = (accessKeyId: string) => ({ "key-create": "create", "key-read": "read" })[accessKeyId];
const call = (accessKeyId: string, operation: string, at: number): AwsCall => ({ service: "dynamodb", operation, accessKeyId, at });
const invocation = (functionName: string, start: number, end: number): InvocationRecord => ({ functionName, requestId: `${functionName}-${start}`, start, end, ok: true });

describe("the AWS call log", () => {
  it("gives each invocation the calls its function's credentials made while it was in flight", () => {
    const log = new AwsCallLog(functionOf);
    [call("key-create", "GetItem", 5), call("key-read", "GetItem", 12), call("key-create", "TransactWriteItems", 15), call("harness", "Scan", 16), call("key-create", "GetItem", 30)].forEach(log.addCall);
    log.addInvocation(invocation("create", 0, 20));
    log.addInvocation(invocation("read", 10, 14));
    expect(log.since().map(({ invocation, calls, overlapping }) => [invocation.functionName, calls.map((c) => c.operation), overlapping])).toEqual([
      ["create", ["GetItem", "TransactWriteItems"], false],
      ["read", ["GetItem"], false],
    ]);
  });

  it("flags invocations of one function that overlapped, whose calls it cannot tell apart", () => {
    const log = new AwsCallLog(functionOf);
    log.addCall(call("key-create", "GetItem", 8));
    log.addInvocation(invocation("create", 0, 10));
    log.addInvocation(invocation("create", 5, 20));
    log.addInvocation(invocation("create", 30, 40));
    expect(log.since().map(({ calls, overlapping }) => [calls.length, overlapping])).toEqual([
      [1, true],
      [1, true],
      [0, false],
    ]);
  });

  it("leaves out invocations that arrived before the mark", () => {
    const log = new AwsCallLog(functionOf);
    log.addInvocation(invocation("read", 0, 1));
    const mark = log.mark();
    log.addInvocation(invocation("read", mark + 1, mark + 2));
    expect(log.since(mark).map(({ invocation }) => invocation.start)).toEqual([mark + 1]);
  });
});

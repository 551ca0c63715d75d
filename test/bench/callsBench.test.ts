import { measureCalls, summarizeCalls, type OperationCalls } from "../../bench/callsBench";
import { useLocalStack } from "../support/useLocalStack";

// The calls each operation makes, counted at the front of moto, against the minimum the README defends: one call
// more than the minimum is the budget, so an added read or a read repeated across steps fails here.
const aws = useLocalStack({ recordCalls: true, maxWorkersPerFunction: 1 });

let rows: OperationCalls[];
beforeAll(async () => {
  rows = await measureCalls(aws.stack);
}, 120_000);

describe("the AWS calls of each operation", () => {
  it("measures every operation, each in an invocation of its own", () => {
    expect(rows.map((row) => row.operation)).toEqual([
      "create",
      "read",
      "update: description",
      "update: status",
      "verify: valid, lastUsedAt written",
      "verify: valid, lastUsedAt throttled",
      "update: manual rotation (new rotation.trigger)",
      "rotation: createSecret",
      "rotation: setSecret",
      "rotation: testSecret",
      "rotation: finishSecret",
      "delete",
      "verify: rate-limited key, accepted",
      "verify: rate-limited key, refused (RATE_LIMITED)",
      "verify: key with credits, accepted",
    ]);
    expect(rows.every((row) => row.calls.length >= 1)).toBe(true);
  });

  it("keeps every operation within its minimum plus one", () => {
    const over = rows.filter((row) => row.calls.length > row.minimum + 1).map((row) => `${row.operation}: ${row.calls.length} (${summarizeCalls(row.calls)}), minimum ${row.minimum}`);
    expect(over).toEqual([]);
  });

  it("leaves verify at one GetItem, and one conditional UpdateItem when lastUsedAt is due", () => {
    const verify = (operation: string) => summarizeCalls(rows.find((row) => row.operation === operation)!.calls);
    expect(verify("verify: valid, lastUsedAt written")).toBe("GetItem, UpdateItem");
    expect(verify("verify: valid, lastUsedAt throttled")).toBe("GetItem");
  });

  it("spends a limit or credits with one UpdateItem after the GetItem, accepted or refused", () => {
    const verify = (operation: string) => summarizeCalls(rows.find((row) => row.operation === operation)!.calls);
    expect(verify("verify: rate-limited key, accepted")).toBe("GetItem, UpdateItem");
    expect(verify("verify: rate-limited key, refused (RATE_LIMITED)")).toBe("GetItem, UpdateItem");
    expect(verify("verify: key with credits, accepted")).toBe("GetItem, UpdateItem");
  });
});

import { InvocationLog } from "../../bench/InvocationLog";

function logOf(spans: Array<[number, number]>): InvocationLog {
  const log = new InvocationLog();
  spans.forEach(([start, end], i) => log.add({ functionName: "apikeys-create", requestId: `r${i}`, start, end, ok: true }));
  return log;
}

describe("an invocation log", () => {
  it("counts overlapping invocations once towards the busy time", () => {
    expect(logOf([[10, 50], [30, 70], [40, 60]]).busyMs(0, 100)).toBe(60);
  });

  it("adds up invocations that do not overlap", () => {
    expect(logOf([[10, 20], [40, 45], [90, 100]]).busyMs(0, 100)).toBe(25);
  });

  it("counts only the part of an invocation inside the window", () => {
    expect(logOf([[0, 30], [80, 200]]).busyMs(20, 100)).toBe(30);
  });

  it("lists the invocations that arrived inside the window", () => {
    expect(logOf([[5, 8], [15, 30], [25, 26]]).within(10, 20).map((record) => record.requestId)).toEqual(["r1"]);
  });
});

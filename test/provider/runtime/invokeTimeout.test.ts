import { FUNCTION_TIMEOUT_SECONDS } from "../../../contract";
import { INVOKE_TIMEOUT_ENV, INVOKE_TIMEOUT_MARGIN_SECONDS, invokeTimeoutMs } from "../../../provider/runtime/invokeTimeout";

describe("invokeTimeoutMs", () => {
  it("waits for each function's own timeout plus the margin", () => {
    expect(invokeTimeoutMs("create", {})).toBe((FUNCTION_TIMEOUT_SECONDS.create + INVOKE_TIMEOUT_MARGIN_SECONDS) * 1000);
    expect(invokeTimeoutMs("read", {})).toBe((FUNCTION_TIMEOUT_SECONDS.read + INVOKE_TIMEOUT_MARGIN_SECONDS) * 1000);
    expect(FUNCTION_TIMEOUT_SECONDS.create).toBeGreaterThan(FUNCTION_TIMEOUT_SECONDS.read);
  });

  it("takes the wait from the environment when it is set, for every operation", () => {
    expect(invokeTimeoutMs("create", { [INVOKE_TIMEOUT_ENV]: "120" })).toBe(120_000);
    expect(invokeTimeoutMs("delete", { [INVOKE_TIMEOUT_ENV]: "2" })).toBe(2_000);
  });

  it.each(["0", "-5", "1.5", "ten", "3601"])("refuses %j, naming the variable", (value) => {
    expect(() => invokeTimeoutMs("create", { [INVOKE_TIMEOUT_ENV]: value })).toThrow(
      `${INVOKE_TIMEOUT_ENV}: must be a whole number of seconds from 1 to 3600, got ${JSON.stringify(value)}`,
    );
  });
});

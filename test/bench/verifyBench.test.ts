// A smoke run with tiny counts: proves the benchmark still runs. Its figures are not asserted; timings belong to
// `npm run bench` and bench/results.md.
process.env.BENCH_RUNS = "1";
process.env.BENCH_CPU_CALLS = "200";
process.env.BENCH_IO_CALLS = "5";

import { verifyBench } from "../../bench/verifyBench";

describe("the verify benchmark", () => {
  it("runs end to end and reports a plain, a rate-limited and a credited key against the bare calls each needs", async () => {
    const section = await verifyBench();
    for (const [kind, baseline] of [["plain key", "GetItem"], ["rate-limited key", "GetItem \\+ UpdateItem"], ["key with credits", "GetItem \\+ UpdateItem"]]) {
      expect(section).toMatch(new RegExp(`\\| ${kind} \\| [0-9.]+ \\(.*\\) \\| [0-9.]+ \\(.*\\) \\| ${baseline}: [0-9.]+ \\(.*\\) \\| \\*\\*[0-9.]+\\*\\* \\| (met|\\*\\*missed\\*\\*) \\|`));
    }
  }, 120_000);
});

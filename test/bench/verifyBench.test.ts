// A smoke run with tiny counts: proves the benchmark still runs. Its figures are not asserted; timings belong to
// `npm run bench` and bench/results.md.
process.env.BENCH_RUNS = "1";
process.env.BENCH_CPU_CALLS = "200";
process.env.BENCH_IO_CALLS = "5";

import { verifyBench } from "../../bench/verifyBench";

describe("the verify benchmark", () => {
  it("runs end to end and reports every measure", async () => {
    const section = await verifyBench();
    for (const row of ["CPU per verifyKey call", "verifyKey against moto", "bare GetItem against the same moto", "ratio verify / GetItem"]) {
      expect(section).toMatch(new RegExp(`\\| ${row}[^|]*\\| [0-9.]+ \\|`));
    }
  });
});

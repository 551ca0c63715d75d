// Smoke runs with tiny counts: prove the state, engine and bundle benchmarks still run end to end against the real
// Pulumi CLI and the local stack. Their figures are not asserted; timings belong to `npm run bench` and
// bench/results.md.
import { bundleBench } from "../../bench/bundleBench";
import { engineBench } from "../../bench/engineBench";
import { startBenchBackend, type BenchBackend } from "../../bench/startBenchBackend";
import { stateBench } from "../../bench/stateBench";
import { BACKEND_FUNCTIONS } from "../../contract";

jest.setTimeout(120_000);

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\`]/g, "\\$&");

/** A table row that starts with `label` and whose next cell starts with a number (a growth can come out negative). */
const row = (label: string): RegExp => new RegExp(`\\| ${escape(label)}[^|]*\\| \\**-?[0-9.]+`);

describe("the state and engine benchmarks", () => {
  let backend: BenchBackend;

  beforeAll(async () => {
    backend = await startBenchBackend();
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
  });

  it("report state bytes per key, the ApiKey to no-op ratio and a no-op preview on tiny stacks", async () => {
    const state = await stateBench(backend, [2]);
    expect(state.section).toMatch(/\| 2 \| \d+ \| \d+ \| \d+ \| (met|\*\*missed\*\*) \| \d+ \| \d+ \|/);
    for (const part of ["inputs (without", "outputs (without", "`__provider`, in the inputs and again", "`stackTrace`", "pretty-print overhead", "**the resource in the export**"]) {
      expect(state.section).toMatch(row(part));
    }
    expect(state.section).toMatch(/Serialized provider \(`__provider`\): \d+ B/);

    const engine = await engineBench(backend, { counts: [1, 2], runs: 1, preview: state.largest });
    for (const label of ["`pulumi up`, 2 ApiKeys", "`pulumi up`, 2 no-op resources", "ratio ApiKey / no-op, N = 2", "of the ApiKey up: waiting on the create Lambda", "ApiKey up, no create in flight", "`pulumi preview` of 2 ApiKeys"]) {
      expect(engine).toMatch(row(label));
    }
    expect(engine).toContain("invoked 0 Lambdas");
  });
});

describe("the Lambda bundle benchmark", () => {
  let section: string;
  beforeAll(async () => {
    section = await bundleBench({ runs: 1 });
  }, 120_000);

  it("reports every function's size and initialisation against its SDK clients alone", () => {
    for (const name of BACKEND_FUNCTIONS) {
      expect(section).toMatch(new RegExp(`\\| ${name} \\| \\d+ \\| (met|\\*\\*missed\\*\\*) \\| [a-z-]+(, [a-z-]+)* \\| [0-9.]+ \\(.*\\) \\| [0-9.]+ \\(.*\\) \\| \\*\\*[0-9.]+\\*\\* \\| (met|\\*\\*missed\\*\\*) \\| [0-9.]+ / [0-9.]+ \\|`));
    }
  });

  it("compares verify's cold start with the DynamoDB client alone, and verify loads no Secrets Manager client", () => {
    expect(section).toMatch(/\| verify \(\d+ B\) \| client-dynamodb, lib-dynamodb \| [0-9.]+ \(.*\) \| [0-9.]+ \(.*\) \| \*\*[0-9.]+\*\* \| (met|\*\*missed\*\*) \|/);
  });

  it("names the largest inputs of every bundle over its budget, with their bytes, and only of those", () => {
    const over = BACKEND_FUNCTIONS.filter((name) => new RegExp(`\\| ${name} \\| \\d+ \\| \\*\\*missed\\*\\* \\|`).test(section));
    const miss = /^- \*\*Bundle size missed\*\*\. (.*)$/m.exec(section)?.[1];
    if (!over.length) return expect(miss).toBeUndefined();
    const named = [...(miss ?? "").matchAll(/(\w+) \(\d+ B\): ([^;]+)/g)].map(([, name, inputs]) => [name, /^\S+ \d+\.\d KB(, \S+ \d+\.\d KB)*\.?$/.test(inputs)]);
    expect(named).toEqual(over.map((name) => [name, true]));
  });

  it("measures what the usage metrics cost verify: the same bundle without them is smaller", () => {
    const bytes = (name: string) => Number(new RegExp(`\\| ${name} \\((\\d+) B\\) \\| client-dynamodb, lib-dynamodb \\|`).exec(section)?.[1]);
    expect(bytes("verify without usage metrics")).toBeLessThan(bytes("verify") - 10_000);
  });

  it("measures what Powertools Logger would cost verify in place of lambdas/log.ts: the same bundle with it is larger", () => {
    const bytes = (name: string) => Number(new RegExp(`\\| ${name} \\((\\d+) B\\) \\| client-dynamodb, lib-dynamodb \\|`).exec(section)?.[1]);
    expect(bytes("verify with Powertools Logger")).toBeGreaterThan(bytes("verify") + 10_000);
  });
});

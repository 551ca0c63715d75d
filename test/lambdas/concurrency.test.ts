import { useLocalStack } from "../support/useLocalStack";
import { invoke } from "../support/invoke";
import { useLeakScan } from "../support/leakScan";

// Parallel load on the real bundles in the local Lambda server (warm workers, up to 8 per function) against moto.
const aws = useLocalStack();
const scan = useLeakScan(aws);

describe("under concurrency", () => {
  let created: { keyId: string; secretArn: string }[] = [];

  it("50 parallel creates make 50 distinct keys, each with its own secret, record and lookup item", async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => invoke(aws.stack, "create", { name: `Parallel ${i}` })));
    expect(answers.filter((answer) => answer.functionError || !answer.payload.ok)).toEqual([]);
    created = answers.map((answer) => answer.payload.result);
    expect(new Set(created.map((view) => view.keyId)).size).toBe(50);
    expect(new Set(created.map((view) => view.secretArn)).size).toBe(50);
    const items = await aws.scanItems();
    expect(items.filter((item) => item.type === "key")).toHaveLength(50);
    expect(items.filter((item) => item.type === "lookup")).toHaveLength(50);
  });

  it("200 concurrent verifications of those keys all answer VALID", async () => {
    const keys = await Promise.all(created.map((view) => aws.plaintextOf(view.secretArn)));
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => invoke(aws.stack, "verify", { key: keys[i % keys.length] })));
    expect(answers.map((answer) => answer.payload.code)).toEqual(Array(200).fill("VALID"));
    expect(answers.map((answer) => answer.payload.keyId)).toEqual(Array.from({ length: 200 }, (_, i) => created[i % created.length].keyId));
  });

  it("of two updates racing from the same version, exactly one wins and the other is told to refresh", async () => {
    const { keyId } = created[0];
    const [first, second] = await Promise.all([
      invoke(aws.stack, "update", { keyId, changes: { description: "from pipeline A" }, expectedVersion: 1 }),
      invoke(aws.stack, "update", { keyId, changes: { description: "from pipeline B" }, expectedVersion: 1 }),
    ]);
    const outcomes = [first.payload, second.payload];
    const winners = outcomes.filter((outcome) => outcome.ok);
    const losers = outcomes.filter((outcome) => !outcome.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toEqual([{ ok: false, error: { code: "CONFLICT", message: expect.stringMatching(/changed while updating it \(expected version 1, found 2\); run "pulumi refresh" and retry/) } }]);
    expect(await aws.getRecord(keyId)).toMatchObject({ version: 2, description: winners[0].result.description });
  });

  it("keeps every key out of every Lambda log", async () => {
    await scan.expectAbsent({ lambdaLogs: aws.stack.lambda.allOutput() });
  });
});

describe("counters under concurrency", () => {
  /** A key made through the create function, and its plaintext. */
  async function limitedKey(fields: Record<string, unknown>): Promise<{ keyId: string; key: string }> {
    const { payload } = await invoke(aws.stack, "create", { name: "Counted", ...fields });
    return { keyId: payload.result.keyId, key: await aws.plaintextOf(payload.result.secretArn) };
  }

  async function verifyInParallel(key: string, count: number): Promise<Record<string, number>> {
    const answers = await Promise.all(Array.from({ length: count }, () => invoke(aws.stack, "verify", { key })));
    expect(answers.filter((answer) => answer.functionError)).toEqual([]);
    const codes: Record<string, number> = {};
    for (const { payload } of answers) codes[payload.code] = (codes[payload.code] ?? 0) + 1;
    return codes;
  }

  // A 24h window: the test never straddles two windows unless it runs across midnight UTC.
  it("200 concurrent verifications of a key limited to 50 per window admit exactly 50", async () => {
    const { key } = await limitedKey({ rateLimit: { limit: 50, window: "24h" } });
    expect(await verifyInParallel(key, 200)).toEqual({ VALID: 50, RATE_LIMITED: 150 });
  });

  it("200 concurrent verifications of a key with 50 credits let exactly 50 succeed, and leave the balance at 0", async () => {
    const { keyId, key } = await limitedKey({ credits: { remaining: 50 } });
    expect(await verifyInParallel(key, 200)).toEqual({ VALID: 50, USAGE_EXCEEDED: 150 });
    const { payload } = await invoke(aws.stack, "read", { keyId });
    expect(payload.result.creditsRemaining).toBe(0);
  });

  it("with both, the tighter counter decides, and a refusal by one spends nothing of the other", async () => {
    const { keyId, key } = await limitedKey({ rateLimit: { limit: 80, window: "24h" }, credits: { remaining: 30 } });
    expect(await verifyInParallel(key, 120)).toEqual({ VALID: 30, USAGE_EXCEEDED: 90 });
    const usage = (await aws.scanItems()).find((item) => item.type === "usage" && item.keyId === keyId)!;
    expect(Object.entries(usage).filter(([name]) => name.startsWith("rate_")).map(([, count]) => count)).toEqual([30]);
  });
});

import { randomUUID } from "node:crypto";
import { hashKey } from "../../contract";
import { invoke } from "../support/invoke";
import { useLocalStack } from "../support/useLocalStack";

// A revoke racing other changes of the same key, in random interleavings, through the real bundles in the local
// Lambda server: once a revoke has returned, the leaked value never verifies again, whatever ran beside it.
jest.setTimeout(240_000);
const aws = useLocalStack();

const ROUNDS = Number(process.env.APIKEYS_REVOKE_ROUNDS ?? 12);
const SEED = Number(process.env.APIKEYS_REVOKE_SEED ?? Date.now() % 1_000_000);
const OPERATIONS = (process.env.APIKEYS_REVOKE_OPERATIONS ?? "status,description,rotate,schedule,delete,verify").split(",");

/** A small seeded generator (mulberry32), so a failing interleaving can be run again with its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One verification of the leaked value: when it started relative to the revoke's answer, and what it answered. */
interface Verification {
  afterRevoke: boolean;
  code: string;
}

describe(`a revoke under concurrency (seed ${SEED}, ${ROUNDS} rounds, beside: ${OPERATIONS.join(", ")})`, () => {
  it("never lets the leaked value verify once the revoke has returned", async () => {
    const next = random(SEED);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
    const violations: string[] = [];
    let revokes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { payload } = await invoke(aws.stack, "create", { name: `Race ${round}`, rotation: { trigger: "0", gracePeriod: "1h" } });
      const { keyId, secretArn } = payload.result;
      const leaked = await aws.plaintextOf(secretArn);
      let revokedAt: number | undefined;
      const verifications: Verification[] = [];

      const operation = async (kind: string) => {
        await sleep(next() * 40);
        switch (kind) {
          case "status":
            return invoke(aws.stack, "update", { keyId, changes: { status: pick(["active", "inactive"]) } });
          case "description":
            return invoke(aws.stack, "update", { keyId, changes: { description: `changed ${randomUUID()}` } });
          case "rotate":
            return invoke(aws.stack, "update", { keyId, changes: { rotation: { trigger: randomUUID(), gracePeriod: "1h" } } });
          case "schedule": {
            const token = randomUUID();
            for (const Step of ["createSecret", "setSecret", "testSecret", "finishSecret"]) await invoke(aws.stack, "rotation", { Step, SecretId: secretArn, ClientRequestToken: token });
            return;
          }
          case "delete":
            return invoke(aws.stack, "delete", { keyId, recoveryWindowInDays: 7 });
          default: {
            const afterRevoke = revokedAt !== undefined;
            const { payload: answer } = await invoke(aws.stack, "verify", { key: leaked });
            verifications.push({ afterRevoke, code: answer.code });
          }
        }
      };
      const revoke = async () => {
        await sleep(next() * 40);
        // As an operator would: retry while the backend says another change got in first.
        for (let attempt = 0; attempt < 6; attempt++) {
          const { payload: answer, functionError } = await invoke(aws.stack, "update", { keyId, changes: {}, revoke: { hash: hashKey(leaked) }, context: { reason: `round ${round}` } });
          // A function error (a rotation step that lost a race) or a conflict: the revoke did not finish; try again.
          if (!functionError && (answer.ok || answer.error.code === "NOT_FOUND")) {
            revokedAt = Date.now();
            revokes += 1;
            return;
          }
        }
      };
      const beside = Array.from({ length: 4 + Math.floor(next() * 5) }, () => pick(OPERATIONS));
      await Promise.all([revoke(), ...beside.map(operation), ...Array.from({ length: 6 }, () => operation("verify"))]);
      // And after everything settled.
      verifications.push({ afterRevoke: revokedAt !== undefined, code: (await invoke(aws.stack, "verify", { key: leaked })).payload.code });
      const escaped = verifications.filter((verification) => verification.afterRevoke && verification.code === "VALID");
      if (escaped.length) violations.push(`round ${round} (${beside.join(", ")}): ${escaped.length} verification(s) of the leaked value answered VALID after the revoke returned`);
    }
    expect(violations).toEqual([]);
    // Every round's revoke got through, so the property above was tested in each.
    expect(revokes).toBe(ROUNDS);
  });
});

import fc from "fast-check";
import { VerifyCode } from "../../contract";
import { deleteKey } from "../../lambdas/operations/deleteKey";
import { issueKey } from "../../lambdas/operations/issueKey";
import { updateKey } from "../../lambdas/operations/updateKey";
import { verifyKey } from "../../lambdas/operations/verifyKey";
import { useLocalBackend } from "../support/localBackend";
import { useLocalStack } from "../support/useLocalStack";

const aws = useLocalStack();
const backend = useLocalBackend(aws);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A key's counters: a rate limit, credits, or both. */
const countersArbitrary = fc
  .record({ limit: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }), credits: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }) })
  .filter(({ limit, credits }) => limit !== undefined || credits !== undefined);

const scheduleArbitrary = fc.record({
  counters: countersArbitrary,
  revocation: fc.constantFrom("delete" as const, "deactivate" as const),
  // Milliseconds between the starts of the verifications, and how many start before the revocation does.
  gaps: fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 4, maxLength: 24 }),
  revokeAfter: fc.nat({ max: 24 }),
});

describe("revocation with counters", () => {
  it("stays immediate: no verification that starts after a delete or deactivation returns is VALID, and counters never admit more than they hold", async () => {
    await fc.assert(
      fc.asyncProperty(scheduleArbitrary, async ({ counters, revocation, gaps, revokeAfter }) => {
        const view = await issueKey(backend, {
          name: "Revoked while counted",
          ...(counters.limit !== undefined ? { rateLimit: { limit: counters.limit, window: "24h" } } : {}),
          ...(counters.credits !== undefined ? { credits: { remaining: counters.credits } } : {}),
        });
        const key = await aws.plaintextOf(view.secretArn);
        let revoked = false;
        const verifications: Promise<{ afterRevocation: boolean; code: string }>[] = [];
        let revocationDone: Promise<void> = Promise.resolve();
        for (const [index, gap] of gaps.entries()) {
          if (index === Math.min(revokeAfter, gaps.length - 1)) {
            revocationDone = (revocation === "delete" ? deleteKey(backend, { keyId: view.keyId, recoveryWindowInDays: 0 }) : updateKey(backend, { keyId: view.keyId, changes: { status: "inactive" } })).then(() => {
              revoked = true;
            });
          }
          const afterRevocation = revoked;
          verifications.push(verifyKey(backend, { key }).then((result) => ({ afterRevocation, code: result.code })));
          await sleep(gap);
        }
        await revocationDone;
        const results = await Promise.all(verifications);
        const late = results.filter((result) => result.afterRevocation && result.code === VerifyCode.VALID);
        if (late.length) throw new Error(`${late.length} verifications started after the ${revocation} returned and answered VALID`);
        const admitted = results.filter((result) => result.code === VerifyCode.VALID).length;
        const ceiling = Math.min(counters.limit ?? Infinity, counters.credits ?? Infinity);
        if (admitted > ceiling) throw new Error(`${admitted} verifications were admitted, the counters hold ${ceiling}`);
        const after = await verifyKey(backend, { key });
        if (after.code === VerifyCode.VALID) throw new Error(`the value verifies after the ${revocation}`);
      }),
      { numRuns: 12 },
    );
  });
});

/**
 * AWS calls per operation: each operation once, through the real bundles in the local stack, with every call the
 * invocation made as the front of moto saw it, beside the fewest calls the design needs (README, "AWS calls per
 * operation").
 */
import { randomUUID } from "node:crypto";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { BackendFunction, KeyView, VerifyResult } from "../contract";
import type { AwsCall } from "../local/motoFront";
import { findMotoServer } from "../local/motoServer";
import { startLocalStack, type LocalStack } from "../local/localStack";
import { machineLine } from "./machine";
import { motoVersion } from "./toolVersions";

/** The operations measured, in the order they run on one key, with the fewest AWS calls each can be done in. */
export const CALL_MINIMUMS = {
  create: 2,
  read: 2,
  "update: description": 3,
  "update: status": 3,
  "verify: valid, lastUsedAt written": 2,
  "verify: valid, lastUsedAt throttled": 1,
  "update: manual rotation (new rotation.trigger)": 10,
  "rotation: createSecret": 3,
  "rotation: setSecret": 4,
  "rotation: testSecret": 2,
  "rotation: finishSecret": 8,
  delete: 3,
  "verify: rate-limited key, accepted": 2,
  "verify: rate-limited key, refused (RATE_LIMITED)": 2,
  "verify: key with credits, accepted": 2,
} as const;

/** One of the operations {@link CALL_MINIMUMS} names. */
export type MeasuredOperation = keyof typeof CALL_MINIMUMS;

/** What one operation cost. */
export interface OperationCalls {
  operation: MeasuredOperation;
  calls: AwsCall[];
  minimum: number;
}

/** `GetItem ×2, TransactWriteItems`: the calls by operation, in the order each first appeared. */
export function summarizeCalls(calls: AwsCall[]): string {
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call.operation, (counts.get(call.operation) ?? 0) + 1);
  return [...counts].map(([operation, count]) => (count > 1 ? `${operation} ×${count}` : operation)).join(", ");
}

/** Runs every measured operation once, one invocation at a time, on a stack started with `recordCalls`. */
export async function measureCalls(stack: LocalStack): Promise<OperationCalls[]> {
  const log = stack.calls;
  if (!log) throw new Error("measureCalls needs a local stack started with recordCalls");
  const lambda = new LambdaClient(stack.clientConfig("lambda"));
  const secrets = new SecretsManagerClient(stack.clientConfig("secretsmanager"));
  const rows: OperationCalls[] = [];
  async function run<T>(operation: MeasuredOperation, fn: BackendFunction, event: unknown): Promise<T> {
    const from = log!.mark();
    const response = await lambda.send(new InvokeCommand({ FunctionName: stack.functions[fn], Payload: Buffer.from(JSON.stringify(event)) }));
    const text = Buffer.from(response.Payload ?? []).toString("utf8");
    const payload = text ? JSON.parse(text) : undefined;
    if (response.FunctionError || (payload && payload.ok === false)) throw new Error(`${operation} failed: ${text}`);
    const [invocation, ...more] = log!.since(from);
    if (!invocation || more.length || invocation.overlapping) throw new Error(`${operation}: expected one invocation alone, found ${1 + more.length}`);
    rows.push({ operation, calls: invocation.calls, minimum: CALL_MINIMUMS[operation] });
    // Key operations answer { ok, result }; verify answers its result itself.
    return (payload?.result ?? payload) as T;
  }
  try {
    const view = await run<KeyView>("create", "create", { name: "Calls", description: "before" });
    const { keyId, secretArn } = view;
    await run("read", "read", { keyId });
    const { version } = await run<KeyView>("update: description", "update", { keyId, expectedVersion: view.version, changes: { description: "after" } });
    await run("update: status", "update", { keyId, expectedVersion: version, changes: { status: "inactive" } });
    const toggled = await run<KeyView>("update: status", "update", { keyId, expectedVersion: version + 1, changes: { status: "active" } });
    rows.pop(); // the toggle back only makes the key valid again for verify
    const key = (await secrets.send(new GetSecretValueCommand({ SecretId: secretArn, VersionStage: "AWSCURRENT" }))).SecretString!;
    await run("verify: valid, lastUsedAt written", "verify", { key });
    await run("verify: valid, lastUsedAt throttled", "verify", { key });
    await run("update: manual rotation (new rotation.trigger)", "update", { keyId, expectedVersion: toggled.version, changes: { rotation: { trigger: "calls" } } });
    const token = randomUUID();
    for (const step of ["createSecret", "setSecret", "testSecret", "finishSecret"] as const) {
      await run(`rotation: ${step}`, "rotation", { Step: step, SecretId: secretArn, ClientRequestToken: token });
    }
    await run("delete", "delete", { keyId, recoveryWindowInDays: 0 });
    // Counted keys, each verified once unmeasured first so that lastUsedAt is not due in the measured calls.
    const counted = async (fields: object) => {
      const made = await run<KeyView>("create", "create", { name: "Counted", ...fields });
      const value = (await secrets.send(new GetSecretValueCommand({ SecretId: made.secretArn, VersionStage: "AWSCURRENT" }))).SecretString!;
      await run("verify: valid, lastUsedAt written", "verify", { key: value });
      rows.splice(-2, 2);
      return value;
    };
    const limited = await counted({ rateLimit: { limit: 2, window: "24h" } });
    const answers = [
      await run<VerifyResult>("verify: rate-limited key, accepted", "verify", { key: limited }),
      await run<VerifyResult>("verify: rate-limited key, refused (RATE_LIMITED)", "verify", { key: limited }),
      await run<VerifyResult>("verify: key with credits, accepted", "verify", { key: await counted({ credits: { remaining: 5 } }) }),
    ];
    const codes = answers.map((answer) => answer.code).join(", ");
    if (codes !== "VALID, RATE_LIMITED, VALID") throw new Error(`the counted keys answered ${codes}`);
    return rows;
  } finally {
    lambda.destroy();
    secrets.destroy();
  }
}

/** The markdown table of `rows`: calls, total, minimum and whether each is within minimum + 1. */
export function callsTable(rows: OperationCalls[]): string {
  return [
    "| operation | AWS calls | total | minimum | within minimum + 1 |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map(({ operation, calls, minimum }) => `| ${operation} | ${summarizeCalls(calls)} | ${calls.length} | ${minimum} | ${calls.length <= minimum + 1 ? "yes" : "**no**"} |`),
  ].join("\n");
}

/** Runs the calls benchmark on a local stack of its own and returns its markdown section. */
export async function callsBench(): Promise<string> {
  const stack = await startLocalStack({ recordCalls: true, maxWorkersPerFunction: 1 });
  try {
    const rows = await measureCalls(stack);
    return [
      "## AWS calls per operation",
      "",
      "Each operation once on one key, one invocation at a time, through the real bundles in the local stack: every call a function's invocation made, as the front of moto (`local/motoFront.ts`) saw it, signed with that function's credentials while the invocation was in flight. Rotation steps are invoked as Secrets Manager invokes the rotation function, all four under one token, after the manual rotation. The minimum is the fewest calls the design needs; the README says why for each (\"AWS calls per operation\"). Counts do not depend on the machine.",
      "",
      `Machine: ${machineLine()}; Node.js ${process.version}, moto ${motoVersion(findMotoServer())}; ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC.`,
      "",
      callsTable(rows),
      "",
    ].join("\n");
  } finally {
    await stack.stop();
  }
}

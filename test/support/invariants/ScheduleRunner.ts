import { randomUUID } from "node:crypto";
import http from "node:http";
import { DeleteSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand } from "@aws-sdk/client-secrets-manager";
import { DeleteCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { hashKey, keyIdFor } from "../../../contract";
import type { Failpoints } from "../failpoints";
import type { LocalAws } from "../useLocalStack";
import { STEPS, TOKENS, describeOperation, type Operation, type Schedule } from "./scheduleArbitrary";

/** The identifiers one key of a schedule runs under: fresh for every run, so runs share no key. */
export interface KeyHandle {
  keyId: string;
  requestToken: string;
  secretName: string;
  /** The ClientRequestTokens of the key's scheduled rotations. */
  rotationTokens: string[];
}

/** How one invocation ended: `ok`, a domain refusal (`refused CONFLICT`), or a function error (an interrupted run). */
export interface Outcome {
  index: number;
  description: string;
  startedAt: number;
  endedAt: number;
  result: string;
  interrupted: boolean;
}

/** One verification a schedule made, and what it answered. */
export interface VerifyObservation {
  key: number;
  /** The value's hash, so reports never carry a key. */
  valueHash: string;
  startedAt: number;
  endedAt: number;
  code: string;
}

/** Everything a run did and saw, for the invariant check. */
export interface ScheduleRun {
  keys: KeyHandle[];
  outcomes: Outcome[];
  /** The retries of interrupted operations, after the kills were disarmed. */
  retries: Outcome[];
  verifications: VerifyObservation[];
  /** Every value of each key seen in its secret during the run. */
  values: Set<string>[];
}

/** Drives the local stack's Lambdas as the provider, Secrets Manager and verifying services would. */
export class ScheduleRunner {
  private readonly lambda: LambdaClient;

  constructor(
    private readonly aws: LocalAws,
    private readonly failpoints: Failpoints,
  ) {
    // No SDK retries, since a retry would hide which invocation was interrupted; and no kept-alive connections, which
    // the server may close just as the next invocation reuses one.
    this.lambda = new LambdaClient({ ...aws.stack.clientConfig("lambda"), maxAttempts: 1, requestHandler: { httpAgent: new http.Agent({ keepAlive: false }) } });
  }

  destroy(): void {
    this.lambda.destroy();
  }

  /** Runs the schedule's operations concurrently with its kills armed, then retries each interrupted one once. */
  async run(schedule: Schedule): Promise<ScheduleRun> {
    const keys: KeyHandle[] = schedule.precreated.map(() => {
      const requestToken = randomUUID();
      const keyId = keyIdFor(requestToken);
      return { keyId, requestToken, secretName: `apikeys/${keyId}`, rotationTokens: Array.from({ length: TOKENS }, () => randomUUID()) };
    });
    const run: ScheduleRun = { keys, outcomes: [], retries: [], verifications: [], values: keys.map(() => new Set()) };
    for (const [key, made] of schedule.precreated.entries()) {
      if (!made) continue;
      const outcome = await this.perform(run, { kind: "create", key }, -1);
      if (outcome.result !== "ok") throw new Error(`could not create k${key} before the schedule: ${outcome.result}`);
    }
    this.failpoints.armOnce(schedule.kills);
    try {
      const started = Date.now();
      run.outcomes = await Promise.all(
        schedule.operations.map(async ({ operation, delayMs }, index) => {
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + delayMs - Date.now())));
          return this.perform(run, operation, index);
        }),
      );
    } finally {
      this.failpoints.disarm();
    }
    for (const outcome of run.outcomes.filter((outcome) => outcome.interrupted)) {
      run.retries.push(await this.perform(run, schedule.operations[outcome.index].operation, outcome.index));
    }
    return run;
  }

  /**
   * Removes what a checked run left: its items, audit events and secrets. moto copies whole tables on every
   * transaction, so a table that kept growing would make later schedules slower and slower, until writes time out.
   */
  async forget(run: ScheduleRun): Promise<void> {
    const { tableName, auditTableName } = this.aws.stack;
    const keyIds = new Set(run.keys.map((key) => key.keyId));
    const items = (await this.aws.scanItems()).filter((item) => keyIds.has(item.keyId));
    for (const keyId of keyIds) {
      const { Items = [] } = await this.aws.dynamo.send(new QueryCommand({ TableName: auditTableName, KeyConditionExpression: "keyId = :keyId", ExpressionAttributeValues: { ":keyId": keyId } }));
      for (const event of Items) await this.aws.dynamo.send(new DeleteCommand({ TableName: auditTableName, Key: { keyId, sk: event.sk } }));
    }
    for (const item of items) await this.aws.dynamo.send(new DeleteCommand({ TableName: tableName, Key: { pk: item.pk } }));
    for (const { secretName } of run.keys) {
      await this.aws.secrets.send(new DeleteSecretCommand({ SecretId: secretName, ForceDeleteWithoutRecovery: true })).catch(() => undefined);
    }
  }

  /** Every value the key's secret holds now, all versions, whatever their stages; nothing when it cannot be read. */
  async readValues(run: ScheduleRun, key: number): Promise<void> {
    const { secretName } = run.keys[key];
    try {
      const { Versions = [] } = await this.aws.secrets.send(new ListSecretVersionIdsCommand({ SecretId: secretName, IncludeDeprecated: true }));
      for (const { VersionId } of Versions) {
        const { SecretString } = await this.aws.secrets.send(new GetSecretValueCommand({ SecretId: secretName, VersionId }));
        if (SecretString) run.values[key].add(SecretString);
      }
    } catch {
      // Not made yet, or scheduled for deletion: the values seen before still count.
    }
  }

  /** Invokes verify for `value` and records what it answered. */
  async verify(run: ScheduleRun, key: number, value: string): Promise<VerifyObservation> {
    const startedAt = Date.now();
    const { payload, functionError } = await this.invoke("verify", { key: value });
    const observation = { key, valueHash: hashKey(value), startedAt, endedAt: Date.now(), code: functionError ? `function error ${functionError}` : String(payload?.code) };
    run.verifications.push(observation);
    return observation;
  }

  /** Runs one operation of a schedule (numbered `index`) and records how it ended. */
  async perform(run: ScheduleRun, operation: Operation, index: number): Promise<Outcome> {
    const handle = run.keys[operation.key];
    const startedAt = Date.now();
    let result: string;
    let interrupted = false;
    if (operation.kind === "verify") {
      await this.readValues(run, operation.key);
      for (const value of run.values[operation.key]) await this.verify(run, operation.key, value);
      result = "ok";
    } else if (operation.kind === "step" || operation.kind === "scheduled") {
      const steps = operation.kind === "step" ? [operation.step] : STEPS;
      result = "ok";
      for (const step of steps) {
        const answer = await this.invoke("rotation", { Step: step, SecretId: handle.secretName, ClientRequestToken: handle.rotationTokens[operation.token] });
        if (answer.functionError) {
          result = `${step}: function error ${answer.payload?.errorType}: ${answer.payload?.errorMessage}`;
          interrupted = true;
          break;
        }
      }
    } else {
      const answer = await this.invoke(...this.request(handle, operation, index));
      if (answer.functionError) {
        result = `function error ${answer.payload?.errorType}: ${answer.payload?.errorMessage}`;
        interrupted = true;
      } else {
        result = answer.payload?.ok ? "ok" : `refused ${answer.payload?.error?.code}: ${answer.payload?.error?.message}`;
      }
    }
    return { index, description: describeOperation(operation), startedAt, endedAt: Date.now(), result, interrupted };
  }

  private request(handle: KeyHandle, operation: Exclude<Operation, { kind: "verify" | "step" | "scheduled" }>, index: number): [string, unknown] {
    switch (operation.kind) {
      case "create":
        return ["create", { name: "Checked key", requestToken: handle.requestToken, rotation: { gracePeriod: "1h" } }];
      case "update": {
        const changes = { deactivate: { status: "inactive" }, activate: { status: "active" }, describe: { description: `changed by #${index}` } }[operation.change];
        return ["update", { keyId: handle.keyId, changes }];
      }
      case "rotate":
        return ["update", { keyId: handle.keyId, changes: { rotation: { trigger: `rotation #${index}`, gracePeriod: "1h" } } }];
      case "delete":
        // A recovery window keeps the secret restorable, so the check can still read every value the key had.
        return ["delete", { keyId: handle.keyId, recoveryWindowInDays: 7 }];
    }
  }

  private async invoke(operation: string, event: unknown): Promise<{ payload: any; functionError?: string }> {
    const response = await this.lambda.send(
      new InvokeCommand({ FunctionName: this.aws.stack.functions[operation as keyof LocalAws["stack"]["functions"]], Payload: Buffer.from(JSON.stringify(event)) }),
    );
    const text = Buffer.from(response.Payload ?? []).toString("utf8");
    return { payload: text ? JSON.parse(text) : undefined, functionError: response.FunctionError };
  }
}

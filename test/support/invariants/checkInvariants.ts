import { DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand, RestoreSecretCommand, type DescribeSecretCommandOutput } from "@aws-sdk/client-secrets-manager";
import { hashKey, ItemType, VERIFY_FIELDS } from "../../../contract";
import type { LocalAws } from "../useLocalStack";
import type { ScheduleRun, ScheduleRunner, VerifyObservation } from "./ScheduleRunner";

/** What verify answers for a value it found (whether or not it lets it pass). */
const FOUND = ["VALID", "INACTIVE", "EXPIRED", "ROTATED_OUT"];

function short(hash: string | undefined): string {
  return hash ? `${hash.slice(0, 8)}…` : "none";
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

async function describeSecret(aws: LocalAws, secretName: string): Promise<DescribeSecretCommandOutput | undefined> {
  try {
    return await aws.secrets.send(new DescribeSecretCommand({ SecretId: secretName }));
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") return undefined;
    throw error;
  }
}

/**
 * Checks I1 to I6 (README, "Security model") after a schedule and its retries have finished: from the raw table and
 * Secrets Manager, and by verifying every value the keys ever had. Returns one line per violation, naming hashes, never
 * values.
 */
export async function checkInvariants(aws: LocalAws, runner: ScheduleRunner, run: ScheduleRun): Promise<string[]> {
  const violations: string[] = [];
  const keyIds = run.keys.map((key) => key.keyId);
  const items = (await aws.scanItems()).filter((item) => keyIds.includes(item.keyId));
  const records = new Map(items.filter((item) => item.type === ItemType.record).map((item) => [item.keyId as string, item]));
  const lookups = items.filter((item) => item.type === ItemType.lookup);
  const live = (keyId: string) => records.get(keyId)?.status !== undefined && records.get(keyId)!.status !== "deleted";

  // I1: every lookup item belongs to a live record that names it, and copies that record's verify fields.
  for (const lookup of lookups) {
    const key = `k${keyIds.indexOf(lookup.keyId)}`;
    const record = records.get(lookup.keyId);
    if (!record) violations.push(`I1: lookup ${short(lookup.hash)} of ${key} has no record`);
    else if (!live(lookup.keyId)) violations.push(`I1: lookup ${short(lookup.hash)} of ${key} is left after the key was deleted`);
    else if (![record.hash, record.previousHash, record.pendingHash].includes(lookup.hash)) {
      violations.push(`I1: lookup ${short(lookup.hash)} of ${key} is not named by its record (hash ${short(record.hash)}, previous ${short(record.previousHash)}, pending ${short(record.pendingHash)})`);
    } else {
      const differing = VERIFY_FIELDS.filter((field) => !same(lookup[field], record[field]));
      if (differing.length) violations.push(`I1: lookup ${short(lookup.hash)} of ${key} disagrees with its record on ${differing.join(", ")}`);
    }
  }

  const secrets = await Promise.all(run.keys.map((key) => describeSecret(aws, key.secretName)));
  for (const [index, key] of run.keys.entries()) {
    const record = records.get(key.keyId);
    const secret = secrets[index];
    const name = `k${index}`;
    const secretLive = secret !== undefined && !secret.DeletedDate;
    // I4: a live record has a live secret, and a live secret has a live record.
    if (live(key.keyId) && !secretLive) violations.push(`I4: ${name} is live but its secret is ${secret ? "scheduled for deletion" : "gone"}`);
    if (!live(key.keyId) && secretLive) violations.push(`I4: the secret of ${name} is live but the key ${record ? "was deleted" : "has no record"}`);
    if (!live(key.keyId) || !secretLive) continue;
    // I3: AWSCURRENT is the version the record treats as current, its value hashes to the record's hash, and no
    // version is current and pending at once (the next rotation would see one in progress).
    const stages = secret.VersionIdsToStages ?? {};
    const current = Object.keys(stages).find((id) => stages[id].includes("AWSCURRENT"));
    if (current !== record!.secretVersionId) violations.push(`I3: AWSCURRENT of ${name} is a version the record does not treat as current`);
    if (current && stages[current].includes("AWSPENDING")) violations.push(`I3: the AWSCURRENT version of ${name} is still AWSPENDING`);
    const value = current && (await aws.secrets.send(new GetSecretValueCommand({ SecretId: key.secretName, VersionId: current }))).SecretString;
    if (value && hashKey(value) !== record!.hash) violations.push(`I3: the AWSCURRENT value of ${name} hashes to ${short(hashKey(value))}, the record's hash is ${short(record!.hash)}`);
    const own = lookups.filter((lookup) => lookup.keyId === key.keyId);
    if (own.length > 3) violations.push(`I3: ${name} has ${own.length} lookup items; at most current, one previous and one pending may exist`);
    // I5: the live key's current value verifies (the key is never expired here).
    if (!own.some((lookup) => lookup.hash === record!.hash)) violations.push(`I5: ${name} has no lookup item for its current hash ${short(record!.hash)}`);
    if (value) {
      const { code } = await runner.verify(run, index, value);
      const expected = record!.status === "active" ? "VALID" : "INACTIVE";
      if (code !== expected) violations.push(`I5: the current value of ${name} (status ${record!.status}) answers ${code}, not ${expected}`);
    }
  }

  // Every value each key ever had, read after the fact too: a secret scheduled for deletion is restored for the
  // reading and scheduled again.
  for (const [index, key] of run.keys.entries()) {
    const secret = secrets[index];
    if (secret?.DeletedDate) await aws.secrets.send(new RestoreSecretCommand({ SecretId: key.secretName }));
    await runner.readValues(run, index);
    if (secret?.DeletedDate) await aws.secrets.send(new DeleteSecretCommand({ SecretId: key.secretName, RecoveryWindowInDays: 7 }));
  }
  for (const [index] of run.keys.entries()) for (const value of run.values[index]) await runner.verify(run, index, value);

  // I2: once a delete has returned, no value of the key verifies, then or ever after.
  for (const [index] of run.keys.entries()) {
    const deletes = [...run.outcomes, ...run.retries].filter((outcome) => outcome.description === `delete k${index}` && outcome.result === "ok");
    if (!deletes.length) continue;
    const returned = Math.min(...deletes.map((outcome) => outcome.endedAt));
    for (const verification of run.verifications.filter((v) => v.key === index && v.startedAt > returned && v.code === "VALID")) {
      violations.push(`I2: value ${short(verification.valueHash)} of k${index} answered VALID ${verification.startedAt - returned}ms after its delete returned`);
    }
  }

  // I6: a value verify stopped finding (rotated two back, a replaced pending value, a deleted key) is never found again.
  const byValue = new Map<string, VerifyObservation[]>();
  for (const verification of run.verifications) byValue.set(verification.valueHash, [...(byValue.get(verification.valueHash) ?? []), verification]);
  for (const [valueHash, observations] of byValue) {
    const found = observations.filter((o) => FOUND.includes(o.code));
    const lost = observations.filter((o) => o.code === "NOT_FOUND" && found.some((f) => f.endedAt < o.startedAt));
    const back = found.find((f) => lost.some((l) => l.endedAt < f.startedAt));
    if (back) violations.push(`I6: value ${short(valueHash)} of k${back.key} answered NOT_FOUND after it had verified, then ${back.code} again`);
  }
  return [...new Set(violations)];
}

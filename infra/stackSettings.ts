import path from "node:path";
import type * as pulumi from "@pulumi/pulumi";

/** Another team's backend that this stack declares keys against, instead of deploying its own. */
export interface ExistingBackend {
  /** Its functions are `<functionPrefix>-create`, `-read`, `-update` and `-delete`. */
  functionPrefix: string;
  region: string;
}

/** The stack's settings, from config `apikeys-backend:*`. */
export interface StackSettings {
  /** Names the backend's resources; see ApiKeysBackendArgs.prefix. */
  prefix: string;
  /** The keys manifest, absolute. */
  keysFile: string;
  /** The Lambda bundles; by default the ones the installed package ships. */
  bundleDir?: string;
  logRetentionDays: number;
  /** Set: deploy no backend, declare the keys against this one. */
  existingBackend?: ExistingBackend;
}

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

// Function names are at most 64 characters; "-rotation" is the longest suffix.
const PREFIX = /^[a-z][a-z0-9-]{0,39}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * Reads and checks `apikeys-backend:*` config; `programDir` anchors relative paths. Every problem is reported at once,
 * naming the config key, before any resource is declared.
 */
export function readStackSettings(config: pulumi.Config, programDir: string): StackSettings {
  const problems: string[] = [];
  const prefix = config.get("prefix") ?? "apikeys";
  if (!PREFIX.test(prefix)) problems.push(`apikeys-backend:prefix must match ${PREFIX.source}, got ${JSON.stringify(prefix)}`);
  const logRetentionDays = config.getNumber("logRetentionDays") ?? 90;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    problems.push(`apikeys-backend:logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(", ")}, got ${logRetentionDays}`);
  }
  const existing = config.getObject<Partial<ExistingBackend>>("existingBackend");
  if (existing !== undefined) {
    if (typeof existing.functionPrefix !== "string" || !/^[A-Za-z0-9_-]{1,55}$/.test(existing.functionPrefix)) {
      problems.push(`apikeys-backend:existingBackend.functionPrefix must be a Lambda function name prefix, got ${JSON.stringify(existing.functionPrefix)}`);
    }
    if (typeof existing.region !== "string" || !REGION.test(existing.region)) {
      problems.push(`apikeys-backend:existingBackend.region must be an AWS region such as "eu-west-1", got ${JSON.stringify(existing.region)}`);
    }
  }
  if (problems.length) throw new Error(`invalid stack config:\n${problems.join("\n")}`);
  return {
    prefix,
    keysFile: path.resolve(programDir, config.get("keysFile") ?? "keys.yaml"),
    logRetentionDays,
    existingBackend: existing as ExistingBackend | undefined,
  };
}

import * as pulumi from "@pulumi/pulumi";
import { API_KEY_TYPE, DEFAULT_BACKEND_PREFIX, ValidationError, keyFunctionsOf, reservedMetadataKeyReason, reservedMetadataKeys, type KeyFunctions } from "../contract";
import { SERIALIZED_PROVIDER } from "./serializedProvider";

/** How a key rotates. */
export interface RotationArgs {
  /** Any new value rotates the key: the new value becomes the secret's current version, keyId and secretArn stay. */
  trigger?: pulumi.Input<string>;
  /** How long the previous value keeps verifying after a rotation: "90s", "15m", "24h", "7d" (at most 30d). Default "0s". */
  gracePeriod?: pulumi.Input<string>;
  /** Days between rotations run by Secrets Manager through the backend's rotation function. */
  automaticallyAfterDays?: pulumi.Input<number>;
}

/** At most `limit` accepted verifications per fixed `window` ("1s" to "24h"); verify answers RATE_LIMITED beyond. */
export interface RateLimitArgs {
  limit: pulumi.Input<number>;
  window: pulumi.Input<string>;
}

/** Usage credits: each accepted verification spends its cost (1 by default); at 0 verify answers USAGE_EXCEEDED. */
export interface CreditsArgs {
  /** The balance. Changing any part of `credits` resets the live balance to it. */
  remaining: pulumi.Input<number>;
  /** Sets the balance to `amount` at every UTC day or month boundary. */
  refill?: pulumi.Input<{ amount: pulumi.Input<number>; interval: pulumi.Input<"daily" | "monthly"> }>;
}

/** The arguments of an {@link ApiKey}. */
export interface ApiKeyArgs {
  /** Key Name: 1 to 64 letters, digits, spaces and - _ . (trimmed). */
  name: pulumi.Input<string>;
  /** What the key is for; at most 256 characters. */
  description?: pulumi.Input<string>;
  /** The Status toggle; defaults to "active". */
  status?: pulumi.Input<"active" | "inactive">;
  /** Key prefix, `^[a-z][a-z0-9]{1,15}$`; defaults to "ak". Changing it creates a new key. */
  prefix?: pulumi.Input<string>;
  /** The team or person responsible for the key; at most 128 characters. */
  owner?: pulumi.Input<string>;
  /** What the key may do (at most 50 scopes of letters, digits and : . _ / * -); verify returns them. */
  scopes?: pulumi.Input<pulumi.Input<string>[]>;
  /** Labels (at most 20, values up to 256 characters); verify returns them. */
  metadata?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** ISO-8601 instant, in the future when set; verify answers EXPIRED after it. */
  expiresAt?: pulumi.Input<string>;
  /** Rotation: a new `trigger` rotates the value in place; `gracePeriod` ("24h") keeps the old value valid meanwhile; `automaticallyAfterDays` schedules rotations. */
  rotation?: pulumi.Input<RotationArgs>;
  /** Accepted verifications per window; in place. */
  rateLimit?: pulumi.Input<RateLimitArgs>;
  /** Usage credits with an optional daily or monthly refill; in place. */
  credits?: pulumi.Input<CreditsArgs>;
  /** IPv4 and IPv6 CIDR ranges the key is accepted from (a bare address is /32 or /128); any address when empty. */
  allowedCidrs?: pulumi.Input<pulumi.Input<string>[]>;
  /** ISO-8601 instant before which verify answers NOT_YET_VALID; must be before expiresAt. */
  notBefore?: pulumi.Input<string>;
  /** AWS region of the backend; defaults to config `apikeys:region`, then `aws:region`, then us-east-1. Changing it creates a new key. */
  region?: pulumi.Input<string>;
  /** The backend's Lambda functions; defaults to `<apikeys:functionPrefix>-create` etc. (prefix "apikeys"). */
  functions?: pulumi.Input<pulumi.Input<KeyFunctions>>;
  /** Days Secrets Manager keeps the secret recoverable after delete: 0 or 7 to 30; defaults to 7. */
  recoveryWindowInDays?: pulumi.Input<number>;
  /** Take over an existing key of the backend at create, keeping its value (`pulumi import` cannot do this for dynamic resources). */
  adopt?: pulumi.Input<{ keyId: pulumi.Input<string> }>;
}

/** Connection defaults from stack config, resolved when the program runs. */
function defaultConnection(): { region: string; functions: KeyFunctions } {
  const config = new pulumi.Config("apikeys");
  const region = config.get("region") ?? new pulumi.Config("aws").get("region") ?? "us-east-1";
  return { region, functions: keyFunctionsOf(config.get("functionPrefix") ?? DEFAULT_BACKEND_PREFIX) };
}

/**
 * Refuses reserved metadata keys while they can still be seen: Pulumi serializes inputs by assignment, which turns an
 * own `__proto__` entry into a prototype change, so check would receive an empty map and pass it silently. Values only
 * known later (outputs, promises) reach check and the Lambdas, which refuse `constructor` and `prototype` too.
 */
function refuseReservedMetadataKeys(resource: string, metadata: ApiKeyArgs["metadata"]): void {
  if (pulumi.Output.isInstance(metadata) || metadata instanceof Promise) return;
  const [reserved] = reservedMetadataKeys(metadata);
  if (reserved !== undefined) throw new ValidationError("metadata", `${reservedMetadataKeyReason(reserved)} (ApiKey "${resource}")`);
}

/**
 * An API key declared in code: generated by the backend, stored hashed, its plaintext only in Secrets Manager.
 *
 * A dynamic resource, registered as `pulumi.dynamic.Resource` registers one but with a fixed `__provider`
 * ({@link SERIALIZED_PROVIDER}) instead of serialized code, so state holds a one-line require of this package.
 */
export class ApiKey extends pulumi.CustomResource {
  /** The key's id in the backend; also the resource id. */
  declare public readonly keyId: pulumi.Output<string>;
  declare public readonly name: pulumi.Output<string>;
  declare public readonly description: pulumi.Output<string>;
  declare public readonly status: pulumi.Output<"active" | "inactive">;
  declare public readonly prefix: pulumi.Output<string>;
  /** Null when the declaration names none. */
  declare public readonly owner: pulumi.Output<string | null>;
  declare public readonly scopes: pulumi.Output<string[]>;
  declare public readonly metadata: pulumi.Output<Record<string, string>>;
  /** Null when the key never expires. */
  declare public readonly expiresAt: pulumi.Output<string | null>;
  declare public readonly rotation: pulumi.Output<{ trigger?: string; gracePeriod?: string; automaticallyAfterDays?: number }>;
  /** When the value last rotated; null until then. */
  declare public readonly rotatedAt: pulumi.Output<string | null>;
  /** Prefix, first four random characters and last four: safe to show. */
  declare public readonly maskedKey: pulumi.Output<string>;
  /** ARN of the Secrets Manager secret holding the plaintext. */
  declare public readonly secretArn: pulumi.Output<string>;
  declare public readonly createdAt: pulumi.Output<string>;
  declare public readonly updatedAt: pulumi.Output<string>;
  /** When verify last accepted the key; null until then. */
  declare public readonly lastUsedAt: pulumi.Output<string | null>;
  declare public readonly region: pulumi.Output<string>;
  declare public readonly functions: pulumi.Output<KeyFunctions>;
  declare public readonly recoveryWindowInDays: pulumi.Output<number>;
  /** Null when the key has no rate limit. */
  declare public readonly rateLimit: pulumi.Output<{ limit: number; window: string } | null>;
  /** Null when the key has no credits. */
  declare public readonly credits: pulumi.Output<{ remaining: number; refill?: { amount: number; interval: "daily" | "monthly" } } | null>;
  declare public readonly allowedCidrs: pulumi.Output<string[]>;
  /** Null when the key is valid from its creation. */
  declare public readonly notBefore: pulumi.Output<string | null>;
  /** The live balance of a key with credits, as the last create, update or refresh saw it (not drift); null without credits. */
  declare public readonly creditsRemaining: pulumi.Output<number | null>;
  /** The record's version, bumped by every update. */
  declare public readonly version: pulumi.Output<number>;

  constructor(name: string, args: ApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    refuseReservedMetadataKeys(name, args.metadata);
    const connection = defaultConnection();
    // Every output must be a key of props, even when undefined, or Pulumi does not expose it on the resource.
    const props = {
      ...args,
      description: args.description,
      status: args.status,
      prefix: args.prefix,
      owner: args.owner,
      scopes: args.scopes,
      metadata: args.metadata,
      expiresAt: args.expiresAt,
      rotation: args.rotation,
      rateLimit: args.rateLimit,
      credits: args.credits,
      allowedCidrs: args.allowedCidrs,
      notBefore: args.notBefore,
      recoveryWindowInDays: args.recoveryWindowInDays,
      // Who declares the key, for the audit trail; diff never compares it.
      auditContext: { project: pulumi.getProject(), stack: pulumi.getStack() },
      region: args.region ?? connection.region,
      functions: args.functions ?? connection.functions,
      keyId: undefined,
      maskedKey: undefined,
      secretArn: undefined,
      createdAt: undefined,
      updatedAt: undefined,
      lastUsedAt: undefined,
      rotatedAt: undefined,
      creditsRemaining: undefined,
      version: undefined,
    };
    super(API_KEY_TYPE, name, { ...props, __provider: SERIALIZED_PROVIDER }, opts);
  }
}

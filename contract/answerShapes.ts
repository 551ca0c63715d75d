import { KEY_ID_PATTERN } from "./keyIdFor";
import { KEY_PREFIX_PATTERN } from "./keyFormat";
import type { RuleOutcome } from "./keyFieldRules";
import { KeyStatus, KeyValueRole, VerifyCode, type Credits, type DeleteResult, type KeyValueMatch, type KeyView, type RateLimit, type RotationSettings, type VerifyResult } from "./messages";

/**
 * What a function must answer, and how to read it. `decode` returns a fresh value with only the contract's fields (so
 * nothing unexpected reaches Pulumi state or a terminal), or the reason it is not one; reasons name fields, never
 * repeat values.
 */
export interface AnswerShape<T> {
  /** What the answer should be, for messages: "a KeyView". */
  description: string;
  /** True when the function wraps its answer in the `{ ok, result | error }` handler envelope. */
  enveloped: boolean;
  decode(value: unknown): RuleOutcome<T>;
}

type Fields = Record<string, unknown>;

function kindOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === "string";
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
const isStringMap = (value: unknown): value is Record<string, string> => isObject(value) && Object.values(value).every(isString);

function isRotation(value: unknown): value is RotationSettings {
  if (!isObject(value)) return false;
  const { trigger, gracePeriod, automaticallyAfterDays } = value;
  return (trigger === undefined || isString(trigger)) && (gracePeriod === undefined || isString(gracePeriod)) && (automaticallyAfterDays === undefined || Number.isInteger(automaticallyAfterDays));
}

/** True for a value of {@link RateLimit}'s shape (its rule is the declaration's; this is what a reader may trust). */
export function isRateLimit(value: unknown): value is RateLimit {
  return isObject(value) && Number.isInteger(value.limit) && isString(value.window);
}

/** True for a value of {@link Credits}' shape. */
export function isCredits(value: unknown): value is Credits {
  if (!isObject(value) || !Number.isInteger(value.remaining)) return false;
  const refill = value.refill;
  return refill === undefined || (isObject(refill) && Number.isInteger(refill.amount) && (refill.interval === "daily" || refill.interval === "monthly"));
}

const isWholeNumber = (value: unknown): boolean => Number.isInteger(value);

/** A field's test and what it must be, in words. */
type FieldRule = [test: (value: unknown) => boolean, must: string];

const KEY_ID: FieldRule = [(value) => isString(value) && KEY_ID_PATTERN.test(value), "a keyId"];
const TEXT: FieldRule = [isString, "a string"];

/**
 * Copies `rules`' fields of `value` into a new object, or names the first that breaks its rule. Optional fields may
 * be absent; the others must be present.
 */
function pick<T>(value: unknown, required: Record<string, FieldRule>, optional: Record<string, FieldRule> = {}): RuleOutcome<T> {
  if (!isObject(value)) return { reason: `it is ${kindOf(value)}` };
  const picked: Fields = {};
  for (const [field, [test, must]] of Object.entries(required)) {
    if (!test(value[field])) return { reason: value[field] === undefined ? `${field} is missing` : `${field} is not ${must}` };
    picked[field] = value[field];
  }
  for (const [field, [test, must]] of Object.entries(optional)) {
    if (value[field] === undefined || value[field] === null) continue;
    if (!test(value[field])) return { reason: `${field} is not ${must}` };
    picked[field] = value[field];
  }
  return { value: picked as T };
}

const STATUSES: readonly unknown[] = Object.values(KeyStatus);
const REFUSALS: readonly unknown[] = Object.values(VerifyCode).filter((code) => code !== VerifyCode.VALID);

/** The KeyView the create and update functions answer with. */
export const KEY_VIEW: AnswerShape<KeyView> = {
  description: "a KeyView",
  enveloped: true,
  decode: (value) =>
    pick<KeyView>(
      value,
      {
        keyId: KEY_ID,
        name: TEXT,
        description: TEXT,
        status: [(status) => STATUSES.includes(status), `one of ${STATUSES.join(", ")}`],
        prefix: [(prefix) => isString(prefix) && KEY_PREFIX_PATTERN.test(prefix), "a key prefix"],
        scopes: [isStringList, "a list of strings"],
        metadata: [isStringMap, "a map of strings"],
        rotation: [isRotation, "rotation settings"],
        maskedKey: TEXT,
        secretArn: TEXT,
        createdAt: TEXT,
        updatedAt: TEXT,
        version: [(version) => Number.isInteger(version), "a whole number"],
      },
      {
        owner: TEXT,
        expiresAt: TEXT,
        lastUsedAt: TEXT,
        rotatedAt: TEXT,
        // Optional, so that a backend of an earlier release, which has none of them, still answers a KeyView.
        allowedCidrs: [isStringList, "a list of strings"],
        notBefore: TEXT,
        rateLimit: [isRateLimit, "a rate limit { limit, window }"],
        credits: [isCredits, "credits { remaining, refill? }"],
        creditsRemaining: [isWholeNumber, "a whole number"],
      },
    ),
};

/** What the read function answers with: a KeyView, or null when the key does not exist or was deleted. */
export const KEY_VIEW_OR_NULL: AnswerShape<KeyView | null> = {
  description: "a KeyView or null",
  enveloped: true,
  decode: (value) => (value === null ? { value: null } : KEY_VIEW.decode(value)),
};

/** What the delete function answers with. */
export const DELETE_RESULT: AnswerShape<DeleteResult> = {
  description: "a DeleteResult",
  enveloped: true,
  decode: (value) => pick<DeleteResult>(value, { keyId: KEY_ID, deletedAt: TEXT, deleted: [(deleted) => typeof deleted === "boolean", "true or false"] }),
};

/** What the verify function answers a direct call with (no envelope: refusals are results too). */
export const VERIFY_RESULT: AnswerShape<VerifyResult> = {
  description: "a verify result",
  enveloped: false,
  decode: (value) => {
    if (!isObject(value)) return { reason: `it is ${kindOf(value)}` };
    if (value.valid === true) {
      return pick<VerifyResult>(
        value,
        { valid: [() => true, "true"], code: [(code) => code === VerifyCode.VALID, "VALID"], keyId: KEY_ID, name: TEXT, scopes: [isStringList, "a list of strings"], metadata: [isStringMap, "a map of strings"] },
        { expiresAt: TEXT, creditsRemaining: [isWholeNumber, "a whole number"] },
      );
    }
    if (value.valid === false) {
      return pick<VerifyResult>(value, { valid: [() => true, "false"], code: [(code) => REFUSALS.includes(code), "a refusal code"] }, { keyId: KEY_ID, retryAfterSeconds: [isWholeNumber, "a whole number"] });
    }
    return { reason: value.valid === undefined ? "valid is missing" : "valid is not true or false" };
  },
};

const CODES: readonly unknown[] = Object.values(VerifyCode);
const ROLES: readonly unknown[] = Object.values(KeyValueRole);

/** What the read function answers a lookup by hash with: which key the value belongs to, or null when none. */
export const KEY_VALUE_MATCH_OR_NULL: AnswerShape<KeyValueMatch | null> = {
  description: "a KeyValueMatch or null",
  enveloped: true,
  decode: (value) => {
    if (value === null) return { value: null };
    const match = pick<KeyValueMatch>(
      value,
      { keyId: KEY_ID, code: [(code) => CODES.includes(code), "a verify code"], role: [(role) => ROLES.includes(role), `one of ${ROLES.join(", ")}`] },
      { key: [isObject, "an object"] },
    );
    if ("reason" in match || match.value.key === undefined) return match;
    const key = KEY_VIEW.decode(match.value.key);
    if ("reason" in key) return { reason: `key: ${key.reason}` };
    if (key.value.keyId !== match.value.keyId) return { reason: "key is about another key than keyId" };
    return { value: { ...match.value, key: key.value } };
  },
};

/** The answer of each function the provider and the CLI invoke. */
export const ANSWER_SHAPES = {
  create: KEY_VIEW,
  read: KEY_VIEW_OR_NULL,
  /** The read function, asked by hash. */
  lookup: KEY_VALUE_MATCH_OR_NULL,
  update: KEY_VIEW,
  delete: DELETE_RESULT,
  verify: VERIFY_RESULT,
} as const;

/** An operation whose answer has a shape in {@link ANSWER_SHAPES}. */
export type AnsweringOperation = keyof typeof ANSWER_SHAPES;
/** What the function of operation `O` answers with. */
export type AnswerOf<O extends AnsweringOperation> = (typeof ANSWER_SHAPES)[O] extends AnswerShape<infer T> ? T : never;

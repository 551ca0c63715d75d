import Ajv, { type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from "ajv";
import { KEY_IN_DECLARATION, holdsKey, keyFieldRules, recoveryWindowRule, type RuleOutcome } from "../contract";
import { ENTRY_ID_RULE, keysManifestSchema, type KeyFieldRuleName } from "./keysManifestSchema";

/** One schema violation, located in the parsed document. */
export interface SchemaProblem {
  /** Path of the property at fault (for a missing or unknown property, that property). */
  path: string[];
  /** Where to point in the file: the value at `path`, or the mapping key at `path` when `key` is set. */
  at: { path: string[]; key: boolean };
  message: string;
}

const RULES: Record<KeyFieldRuleName, (value: unknown) => RuleOutcome<unknown>> = { ...keyFieldRules, recoveryWindowInDays: recoveryWindowRule };

const TYPE_WORDS: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  null: "empty",
};

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "boolean") return String(value);
  return `${TYPE_WORDS[typeof value] ?? typeof value} ${JSON.stringify(value)}`;
}

/** Runs the contract rule a schema node names; its reason becomes the error message, word for word. */
const checkKeyFieldRule: SchemaValidateFunction = (rule: KeyFieldRuleName, data: unknown): boolean => {
  const outcome = RULES[rule](data);
  if (!("reason" in outcome)) return true;
  // Ajv reads a function keyword's errors from the function itself, right after the call.
  checkKeyFieldRule.errors = [{ keyword: "keyFieldRule", message: outcome.reason, params: { rule } }];
  return false;
};

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  // verbose: errors carry the offending data and schema, which the messages quote.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
  ajv.addKeyword({ keyword: "keyFieldRule", schemaType: "string", errors: true, validate: checkKeyFieldRule });
  compiled = ajv.compile(keysManifestSchema);
  return compiled;
}

function segments(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function standardProblem(error: ErrorObject): SchemaProblem | undefined {
  const path = segments(error.instancePath);
  const params = error.params as Record<string, any>;
  const at = { path, key: false };
  switch (error.keyword) {
    case "required":
      return { path: [...path, params.missingProperty], at: { path, key: true }, message: "is required" };
    case "additionalProperties": {
      const known = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {}).join(", ");
      const property = [...path, params.additionalProperty];
      return { path: property, at: { path: property, key: true }, message: `is not a known property (known: ${known})` };
    }
    case "propertyNames": {
      const name = [...path, params.propertyName];
      const isEntryId = path.length === 1 && path[0] === "keys";
      return { path: name, at: { path: name, key: true }, message: isEntryId ? ENTRY_ID_RULE : "is not an allowed name" };
    }
    case "type":
      if (path.length === 0) return { path, at, message: `must be a mapping with a "keys" entry, got ${describeValue(error.data)}` };
      return { path, at, message: `must be ${String(params.type).split(",").map((type) => TYPE_WORDS[type] ?? type).join(" or ")}, got ${describeValue(error.data)}` };
    case "enum":
      return { path, at, message: `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(", ")}, got ${describeValue(error.data)}` };
    case "pattern":
      return { path, at, message: `must match ${params.pattern}` };
    case "minLength":
      return { path, at, message: params.limit === 1 ? "must not be empty" : `must be at least ${params.limit} characters` };
    case "maxLength":
      return { path, at, message: `must be at most ${params.limit} characters` };
    case "maxItems":
    case "maxProperties":
      return { path, at, message: `must have at most ${params.limit} entries` };
    case "uniqueItems":
      return { path, at, message: `must not repeat an entry (entries ${params.j} and ${params.i} are equal)` };
    case "minimum":
    case "maximum":
      return { path, at, message: `must be ${params.comparison} ${params.limit}` };
    default:
      return { path, at, message: error.message ?? `breaks the schema rule "${error.keyword}"` };
  }
}

// Contract reasons about a part of a value start with its position: "[1] must be ...", ".gracePeriod must be ...".
const PART_REASON = /^(?:\[(\d+)\]|\.([A-Za-z0-9:._\/-]+)) (.+)$/s;

/** A contract rule's failure, moved down to the list item or property its reason names, so the line is exact. */
function ruleProblem(path: string[], reason: string): SchemaProblem {
  const match = PART_REASON.exec(reason);
  if (!match) return { path, at: { path, key: false }, message: reason };
  const part = [...path, match[1] ?? match[2]];
  const message = match[3];
  // A reason about a property's name points at the name, not at its value.
  const aboutName = message.startsWith("is not a known property") || message.startsWith("is a reserved name");
  return { path: part, at: { path: part, key: aboutName }, message };
}

function within(path: string[], prefix: string[]): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => path[index] === part);
}

/** Entry ids that hold a key: an id becomes a resource name, which Pulumi keeps in every URN of the state. */
function keyIdsHoldingKeys(data: unknown): SchemaProblem[] {
  const keys = (data as { keys?: unknown } | null)?.keys;
  if (typeof keys !== "object" || keys === null) return [];
  return Object.keys(keys)
    .filter((id) => holdsKey(id))
    .map((id) => ({ path: ["keys", id], at: { path: ["keys", id], key: true }, message: KEY_IN_DECLARATION }));
}

/**
 * Checks a parsed manifest against {@link keysManifestSchema} and reports every problem at once. Where a contract rule
 * refused a value, its reason stands alone for that property: the standard keywords' view of the same value is noise.
 */
export function validateManifest(data: unknown): SchemaProblem[] {
  const validate = validator();
  const problems: SchemaProblem[] = keyIdsHoldingKeys(data);
  if (validate(data)) return problems;
  const errors = validate.errors ?? [];
  const ruled = errors.filter((error) => error.keyword === "keyFieldRule").map((error) => segments(error.instancePath));
  for (const error of errors) {
    const path = segments(error.instancePath);
    if (error.keyword === "keyFieldRule") {
      problems.push(ruleProblem(path, error.message!));
      continue;
    }
    // propertyNames reports the name's own failure too (it carries propertyName); the propertyNames error says it.
    if ((error as { propertyName?: string }).propertyName !== undefined) continue;
    if (ruled.some((prefix) => within(path, prefix))) continue;
    const problem = standardProblem(error);
    if (problem) problems.push(problem);
  }
  return problems;
}

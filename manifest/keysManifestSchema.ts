import { DESCRIPTION_MAX_LENGTH, KEY_PREFIX_PATTERN, KeyStatus, LIMITS, keyFieldRules } from "../contract";

/**
 * Entry ids become Pulumi resource names (the last part of each URN). Pulumi itself accepts almost any string, but
 * ids also appear in `pulumi state` commands, `--target` URNs and shell scripts, so we allow only characters that need
 * no quoting anywhere and cannot contain the URN delimiter `::`.
 */
export const ENTRY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** What {@link ENTRY_ID_PATTERN} allows, in words. */
export const ENTRY_ID_RULE = 'must be 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit (the id is the Pulumi resource name)';

/** The properties an entry may declare: the key's fields from contract/keyFieldRules.ts, and its recovery window. */
export const DECLARATION_PROPERTIES = [...(Object.keys(keyFieldRules) as (keyof typeof keyFieldRules)[]), "recoveryWindowInDays"] as const;

/** The name of a contract rule a schema node is checked with (see `keyFieldRule` in {@link keysManifestSchema}). */
export type KeyFieldRuleName = (typeof DECLARATION_PROPERTIES)[number];

function field<S extends object>(rule: KeyFieldRuleName, schema: S): S & { keyFieldRule: KeyFieldRuleName } {
  return { ...schema, keyFieldRule: rule };
}

/**
 * JSON Schema (draft-07) of a keys manifest. The standard keywords carry the contract's limits (so an editor can
 * use the schema as it is); `keyFieldRule` names the contract rule that also runs on the value, so the manifest
 * accepts exactly what the provider's check and the Lambdas accept. Standard keywords are never stricter than the
 * rule, except that they refuse `null` (an empty YAML value), which in a reviewed file is a mistake, not a default.
 */
export const keysManifestSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "apikeys keys manifest",
  type: "object",
  required: ["keys"],
  additionalProperties: false,
  properties: {
    keys: {
      description: "Resource name to key declaration. Removing an entry deletes its key; renaming an entry replaces its key.",
      type: "object",
      propertyNames: { pattern: ENTRY_ID_PATTERN.source },
      additionalProperties: { $ref: "#/definitions/key" },
    },
  },
  definitions: {
    key: {
      type: "object",
      required: ["name"],
      additionalProperties: false,
      properties: {
        name: field("name", { type: "string", description: "Key Name: 1 to 64 letters, digits, spaces and - _ . (trimmed)" }),
        description: field("description", { type: "string", maxLength: DESCRIPTION_MAX_LENGTH }),
        status: field("status", { enum: Object.values(KeyStatus) }),
        prefix: field("prefix", { type: "string", pattern: KEY_PREFIX_PATTERN.source, description: "Changing it creates a new key" }),
        owner: field("owner", { type: "string", description: "The team or person responsible" }),
        scopes: field("scopes", { type: "array", maxItems: LIMITS.scopes, uniqueItems: true, items: { type: "string", maxLength: LIMITS.scope } }),
        metadata: field("metadata", {
          type: "object",
          maxProperties: LIMITS.metadataEntries,
          propertyNames: { maxLength: LIMITS.metadataKey },
          additionalProperties: { type: "string", maxLength: LIMITS.metadataValue },
        }),
        expiresAt: field("expiresAt", { type: "string", description: 'ISO-8601 instant with a zone, such as "2027-01-31T00:00:00Z"' }),
        rotation: field("rotation", {
          type: "object",
          additionalProperties: false,
          properties: {
            trigger: { type: "string", minLength: 1, maxLength: LIMITS.trigger },
            gracePeriod: { type: "string", description: '"90s", "15m", "24h" or "7d", at most 30d' },
            automaticallyAfterDays: { type: "integer", minimum: 1, maximum: LIMITS.automaticallyAfterDays },
          },
        }),
        rateLimit: field("rateLimit", {
          type: "object",
          required: ["limit", "window"],
          additionalProperties: false,
          properties: {
            limit: { type: "integer", minimum: 1, maximum: LIMITS.rateLimit },
            window: { type: "string", description: 'A duration from "1s" to "24h", such as "1m"' },
          },
        }),
        credits: field("credits", {
          type: "object",
          required: ["remaining"],
          additionalProperties: false,
          properties: {
            remaining: { type: "integer", minimum: 0, maximum: LIMITS.credits, description: "The balance; changing any part of credits resets the balance to it" },
            refill: {
              type: "object",
              required: ["amount", "interval"],
              additionalProperties: false,
              properties: { amount: { type: "integer", minimum: 1, maximum: LIMITS.credits }, interval: { enum: ["daily", "monthly"] } },
            },
          },
        }),
        allowedCidrs: field("allowedCidrs", { type: "array", maxItems: LIMITS.allowedCidrs, items: { type: "string", description: 'An IPv4 or IPv6 CIDR range, such as "203.0.113.0/24"' } }),
        notBefore: field("notBefore", { type: "string", description: "ISO-8601 instant with a zone; before expiresAt" }),
        recoveryWindowInDays: field("recoveryWindowInDays", { type: "integer", minimum: 0, maximum: 30 }),
      },
    },
  },
} as const;

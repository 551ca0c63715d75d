import { KEY_FUNCTIONS, KEY_ID_PATTERN, KEY_IN_DECLARATION, futureExpiryRule, validityWindowRule, holdsKey, keyFieldRules, recoveryWindowRule, redactKeys, redactValue, unknownProperties, type FieldFailure, type RuleOutcome } from "../../contract";
import { INPUT_PROPERTIES, UNCOMPARED_INPUTS, UNKNOWN } from "./ApiKeyState";

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const FUNCTION = /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?$/;

function regionRule(value: unknown): RuleOutcome<string> {
  if (typeof value !== "string" || !REGION.test(value)) return { reason: `must be an AWS region such as "us-east-1", got ${JSON.stringify(value)}` };
  return { value };
}

function functionsRule(value: unknown, failures: FieldFailure[]): void {
  if (value === UNKNOWN) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    failures.push({ property: "functions", reason: "must be an object naming the create, read, update and delete Lambda functions" });
    return;
  }
  const functions = value as Record<string, unknown>;
  for (const { property, reason } of unknownProperties(functions, KEY_FUNCTIONS)) failures.push({ property: `functions.${property}`, reason });
  for (const operation of KEY_FUNCTIONS) {
    const name = functions[operation];
    if (name === UNKNOWN) continue;
    // A key is a well-formed function name: refused by what it is, or it would go into state.
    if (holdsKey(name)) failures.push({ property: `functions.${operation}`, reason: KEY_IN_DECLARATION });
    else if (typeof name !== "string" || !FUNCTION.test(name)) {
      failures.push({ property: `functions.${operation}`, reason: `must be a Lambda function name or ARN, got ${JSON.stringify(name)}` });
    }
  }
}

function adoptRule(value: unknown, failures: FieldFailure[]): void {
  if (value === undefined || value === null || value === UNKNOWN) return;
  const keyId = (value as { keyId?: unknown }).keyId;
  if (typeof value !== "object" || Array.isArray(value) || Object.keys(value).some((key) => key !== "keyId")) {
    failures.push({ property: "adopt", reason: "must be an object { keyId }" });
  } else if (keyId !== UNKNOWN && (typeof keyId !== "string" || !KEY_ID_PATTERN.test(keyId))) {
    // The value is not repeated: what gets pasted here by mistake is sometimes the key itself.
    failures.push({ property: "adopt.keyId", reason: 'must be a keyId such as "key_0123456789abcdef"' });
  }
}

/**
 * Validates and normalizes ApiKey inputs without any I/O, so `pulumi preview` reports every bad property and
 * nothing is invoked. Values the engine does not know yet are passed through unchecked. Failures land in preview
 * output and pull-request comments, so whatever in them parses as a key is redacted.
 */
export function checkApiKey(
  news: Record<string, unknown>,
  olds: Record<string, unknown> = {},
  now: Date = new Date(),
): { inputs: Record<string, unknown>; failures: FieldFailure[] } {
  const { __provider, ...declared } = news;
  const failures = unknownProperties(declared, [...INPUT_PROPERTIES, ...UNCOMPARED_INPUTS]);
  const inputs: Record<string, unknown> = { ...declared };
  const rules: Record<string, (value: unknown) => RuleOutcome<unknown>> = {
    ...keyFieldRules,
    region: regionRule,
    recoveryWindowInDays: recoveryWindowRule,
  };
  for (const [property, rule] of Object.entries(rules)) {
    // Values not known until apply, at the top or inside an object, are checked then, by the Lambda.
    if (JSON.stringify(declared[property] ?? null).includes(UNKNOWN)) continue;
    const outcome = rule(declared[property]);
    if ("reason" in outcome) failures.push({ property, reason: outcome.reason });
    else if (outcome.value === undefined) delete inputs[property];
    else inputs[property] = outcome.value;
  }
  functionsRule(declared.functions, failures);
  adoptRule(declared.adopt, failures);
  // An expiry must lie ahead when it is set, but a key declared long ago must not start failing its checks.
  if (typeof inputs.expiresAt === "string" && inputs.expiresAt !== olds.expiresAt && !failures.some((f) => f.property === "expiresAt")) {
    const future = futureExpiryRule(inputs.expiresAt, now);
    if ("reason" in future) failures.push({ property: "expiresAt", reason: future.reason });
  }
  if (!failures.some((f) => f.property === "notBefore" || f.property === "expiresAt")) {
    const window = validityWindowRule(inputs.notBefore as string | undefined, inputs.expiresAt as string | undefined);
    if (window) failures.push(window);
  }
  const redacted = failures.map(({ property, reason }) => ({ property: redactKeys(property), reason: redactKeys(reason) }));
  // A value holding a key has failed already; the inputs go back to the engine too, so they carry no key either.
  const returned = redacted.length ? redactValue(inputs) : inputs;
  return { inputs: __provider === undefined ? returned : { ...returned, __provider }, failures: redacted };
}

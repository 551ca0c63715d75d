import { InvokeCommand } from "@aws-sdk/client-lambda";
import { KeyStatus, KeyValueRole, VerifyCode, changeReasonRule, decodeAnswer, hashKey, maskKey, parseKey, redactKeys, type KeyValueMatch, type KeyView, type UpdateKeyRequest } from "../../contract";
import type { LambdaSender, TextInput, TextOutput } from "../CliContext";
import { ExitCode } from "../ExitCode";
import { lookupValue } from "../backend/lookupValue";
import { describeError } from "../describeError";
import type { StackStateLoader } from "../drift/loadStackState";
import { managedKeysOf, type ManagedKey } from "../drift/managedKeysOf";
import { readKeyFromStdin } from "../verify/readKeyFromStdin";

/** Options of {@link revokeKey}. */
export interface RevokeKeyOptions {
  /** Why: recorded in the audit events, for whoever reviews the incident later. */
  reason: string;
  /** Switch the key off as well (its new value then verifies nothing either until it is switched on). */
  deactivate: boolean;
  /** Stacks whose state to search for the key's resource, to name it and its URN. */
  stacks: string[];
  /** The Pulumi project directory of the stacks. */
  cwd: string;
  readFunction: string;
  updateFunction: string;
}

/** What {@link revokeKey} reads from and writes to. */
export interface RevokeKeyIo {
  lambda: LambdaSender;
  stdin: TextInput;
  stdout: TextOutput;
  stderr: TextOutput;
  loadStackState: StackStateLoader;
  callerArn(): Promise<string | undefined>;
}

/** The resources of the given stacks that manage `keyId`, and the stacks that could not be read (said so on stderr). */
async function resourcesOf(keyId: string, options: RevokeKeyOptions, io: RevokeKeyIo): Promise<{ found: ManagedKey[]; unread: string[] }> {
  const found: ManagedKey[] = [];
  const unread: string[] = [];
  for (const stack of options.stacks) {
    try {
      found.push(...managedKeysOf(await io.loadStackState(stack, options.cwd), stack).filter((key) => key.keyId === keyId));
    } catch (error) {
      // The value is dead already; not knowing the resource only makes the advice vaguer.
      io.stderr.write(`apikeys: could not read stack ${stack} to name the key's resource: ${describeError(error)}\n`);
      unread.push(stack);
    }
  }
  return { found, unread };
}

function revokedValue(before: KeyValueMatch): string {
  return before.role === KeyValueRole.CURRENT ? "the current value" : `the ${before.role} value`;
}

/** What to change where, once the value is dead: the place it leaked, the declaration, the state. */
function whatToChange(view: KeyView, resources: ManagedKey[], options: RevokeKeyOptions): string[] {
  const stacks = resources.length ? [...new Set(resources.map((resource) => resource.stack))].join(", ") : "the stack that declares it";
  const declaration = resources.length ? resources.map((resource) => `resource ${resource.resource} (the ApiKey or keys.yaml entry of that name)`).join(", ") : "its ApiKey declaration";
  const lines = [
    "What to change in code:",
    "  - Remove the leaked value from where it was found (apikeys scan lists every place), and from any history or log that keeps it: it verifies nothing any more, but it still reads as a key.",
    "  - Services that had it read the key's secret again; never put the new value in code or configuration either.",
    `  - Leave the rotation settings of ${declaration} as they are: they are the key's settings still, so the next pulumi up rotates nothing, and no deployment brings a revoked value back.`,
  ];
  if (options.deactivate || view.status === KeyStatus.INACTIVE) {
    lines.push(`  - Set status: inactive in ${declaration} before the next pulumi refresh and pulumi up of ${stacks}, or they switch the key on again (with its new value, never the revoked one).`);
  }
  lines.push(`  - Run pulumi refresh on ${stacks} to record the new masked key and version: until then, a change to this key's declaration fails with a conflict.`);
  return lines;
}

/**
 * `apikeys revoke --reason <text>`: reads a leaked key from stdin (never from arguments), finds its key by hash, and
 * has the update function kill that value at once with a rotation that has no grace; `--deactivate` switches the key
 * off too. Prints what happened, the key's resource in the given stacks, and what to change in code. Exit 0 when the
 * value is refused from now on, 1 when it is no value of this backend, 2 on error; the key is never printed.
 */
export async function revokeKey(options: RevokeKeyOptions, io: RevokeKeyIo): Promise<ExitCode> {
  const reason = changeReasonRule(options.reason);
  if ("reason" in reason) throw new Error(`--reason ${reason.reason}`);
  if (!reason.value) throw new Error("--reason is required: say why, for the audit trail");
  const key = await readKeyFromStdin(io.stdin, io.stderr, "revoke");
  if (!parseKey(key)) throw new Error("stdin holds no API key of our format (or its checksum is wrong): nothing was revoked");
  const hash = hashKey(key);
  const masked = maskKey(key);
  try {
    const before = await lookupValue(io.lambda, options.readFunction, hash);
    if (!before) {
      io.stdout.write(`${masked} is no value of any key in this backend (never issued by it, deleted, or two rotations old): verify refuses it already, and nothing was changed.\nIf it should be a key here, check AWS_REGION and --read-function.\n`);
      return ExitCode.FINDINGS;
    }
    if (!before.key) throw new Error(`a lookup item answers for ${masked} (${before.code}) that no live key names: the update function cannot reach it; run apikeys drift, and treat it as an incident`);
    const actor = await io.callerArn();
    const request: UpdateKeyRequest = {
      keyId: before.keyId,
      changes: options.deactivate ? { status: KeyStatus.INACTIVE } : {},
      revoke: { hash },
      context: { ...(actor ? { actor } : {}), reason: reason.value },
    };
    const response = await io.lambda.send(new InvokeCommand({ FunctionName: options.updateFunction, InvocationType: "RequestResponse", Payload: Buffer.from(JSON.stringify(request)) }));
    const view = decodeAnswer(response, { functionName: options.updateFunction, operation: "update", keyId: before.keyId });
    const after = await lookupValue(io.lambda, options.readFunction, hash);
    const answer = after?.code ?? VerifyCode.NOT_FOUND;
    if (answer === VerifyCode.VALID) throw new Error(`${masked} still verifies after the revoke of ${view.keyId}: something changed the key meanwhile; run apikeys revoke again, then apikeys drift`);
    const rotated = view.maskedKey !== before.key.maskedKey;
    const lines = [
      rotated || answer !== before.code
        ? `Revoked ${masked}, ${revokedValue(before)} of ${view.keyId} (${view.name}): verify answers ${answer} for it from now on.`
        : `${masked}, ${revokedValue(before)} of ${view.keyId} (${view.name}), was refused already (${answer}): nothing rotated; the revoke and its reason are in the audit trail.`,
    ];
    if (rotated) lines.push(`The key's new value ${view.maskedKey} is current in its secret ${view.secretArn}; services reading the secret get it on their next read.`);
    if (before.role !== KeyValueRole.CURRENT && rotated) lines.push(`Its value before, ${before.key.maskedKey}, which did not leak, verifies until its grace period (${view.rotation.gracePeriod ?? "0s"}) ends.`);
    if (view.status === KeyStatus.INACTIVE) lines.push(`The key is inactive: verify refuses its new value too until it is switched on (apikeys activate ${view.keyId} --reason …).`);
    const { found: resources, unread } = await resourcesOf(view.keyId, options, io);
    for (const resource of resources) lines.push(`Managed by stack ${resource.stack}: ${resource.urn}`);
    for (const stack of options.stacks.filter((name) => !unread.includes(name) && !resources.some((resource) => resource.stack === name))) lines.push(`Stack ${stack} manages no resource for ${view.keyId}.`);
    io.stdout.write(`${[...lines, "", ...whatToChange(view, resources, options)].join("\n")}\n`);
    return ExitCode.OK;
  } catch (error) {
    // Nothing upstream should echo the key; a message that did must not carry it to a terminal or a CI log.
    throw Object.assign(new Error(redactKeys((error as Error).message, [key])), { name: (error as Error).name });
  }
}

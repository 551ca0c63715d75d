/**
 * The ApiKey dynamic provider. This module's exports are the provider itself: every ApiKey's state names it as
 * `require("pulumi-apikeys/provider-runtime")` (provider/serializedProvider.ts), never as code.
 */
import { randomUUID } from "node:crypto";
import { IN_PLACE_FIELDS, KEY_FIELDS, LambdaInvocationError, keyIdFor, type KeyView } from "../../contract";
import { INPUT_PROPERTIES, OPTIONAL_OUTPUTS, UNCOMPARED_INPUTS, type ApiKeyInputs, type ApiKeyOutputs } from "./ApiKeyState";
import { changeContext } from "./changeContext";
import { checkApiKey } from "./checkApiKey";
import { diffApiKey, differs } from "./diffApiKey";
import { invokeLambda } from "./invokeLambda";

type Props = Record<string, any>;


/**
 * The outputs: inputs first (readable diffs), then what the backend reported; no undefined values (gRPC has none),
 * and null for an optional output without a value, so that a preview knows it has none.
 */
function outputs(inputs: Props, view: KeyView): ApiKeyOutputs {
  const { __provider: _ignored, ...declared } = inputs;
  const known = Object.fromEntries(Object.entries({ ...declared, ...view }).filter(([, value]) => value !== undefined));
  const absent = Object.fromEntries(OPTIONAL_OUTPUTS.filter((property) => !(property in known)).map((property) => [property, null]));
  return { ...known, ...absent } as unknown as ApiKeyOutputs;
}

function declaredFields(inputs: Props): Props {
  return Object.fromEntries(KEY_FIELDS.filter((field) => inputs[field] !== undefined).map((field) => [field, inputs[field]]));
}

/**
 * Runs the create Lambda with an idempotency token. If the call fails in a way that may have left work behind (a
 * timeout, no answer in time, a crash, an answer that is not a KeyView of this key), the error carries the keyId the
 * token implies, so Pulumi records the key as created-but-not-initialized: the next `up` finishes it with the same
 * token, and `destroy` removes what exists.
 */
async function createWithToken(inputs: Props, token: string) {
  const { region, functions, adopt, auditContext } = inputs as ApiKeyInputs;
  const keyId = adopt?.keyId ?? keyIdFor(token);
  const request = { ...declaredFields(inputs), ...(adopt ? { adoptKeyId: adopt.keyId } : { requestToken: token }), context: await changeContext(region, auditContext) };
  try {
    const view = await invokeLambda(region, functions.create, "create", request, keyId);
    return { id: view.keyId, outs: { ...outputs(inputs, view), ...(adopt ? {} : { requestToken: token }) } };
  } catch (error) {
    if (!(error instanceof LambdaInvocationError) || !error.mayHaveRun || adopt) throw error;
    const message = `${error.message} (recorded as ${keyId}, not yet initialized: the next pulumi up finishes it, pulumi destroy removes it)`;
    throw Object.assign(new Error(message), {
      id: keyId,
      properties: { ...outputs(inputs, { keyId } as KeyView), requestToken: token, __provider: inputs.__provider },
      reasons: [error.message],
    });
  }
}

/** Validates inputs and fills defaults; invokes nothing. */
export async function check(olds: Props, news: Props) {
  return checkApiKey(news, olds);
}

/** Replace for prefix and region; everything else in place. */
export async function diff(_id: string, olds: Props, news: Props) {
  const { changes, replaces, deleteBeforeReplace } = diffApiKey(olds, news);
  return { changes, replaces, deleteBeforeReplace };
}

/** Creates (or adopts) the key through the create Lambda; only metadata comes back. */
export async function create(inputs: Props) {
  return createWithToken(inputs, randomUUID());
}

/** Reads the current record, so refresh shows out-of-band changes; a deleted key returns no id and leaves state. */
export async function read(id: string, props: Props) {
  // A create that never finished is kept as it is: forgetting it would orphan whatever it made.
  if (props.version === undefined) return { id, props };
  const { region, functions } = props as ApiKeyOutputs;
  const view = await invokeLambda(region, functions.read, "read", { keyId: id }, id);
  if (!view) return { id: "", props: {} };
  return { id, props: outputs({ region, functions, recoveryWindowInDays: props.recoveryWindowInDays, adopt: props.adopt, auditContext: props.auditContext }, view) };
}

/** Changes fields in place (a new rotation trigger rotates the value), guarded by the version the state last saw. */
export async function update(id: string, olds: Props, news: Props) {
  // A create that stopped half-way: finish it with its own token, which names the same key and secret.
  if (olds.version === undefined && olds.requestToken) return { outs: (await createWithToken(news, olds.requestToken)).outs };
  const { region, functions } = news as ApiKeyInputs;
  // A removed optional field is sent as null, which clears it.
  const changes = Object.fromEntries(IN_PLACE_FIELDS.filter((field) => differs(field, olds, news)).map((field) => [field, news[field] ?? null]));
  if (!Object.keys(changes).length) {
    // Only connection data, the recovery window or uncompared inputs changed: nothing to tell the backend. The
    // backend's part of the state stays; every input comes from the new declaration.
    const inputs = new Set<string>([...INPUT_PROPERTIES, ...UNCOMPARED_INPUTS, "__provider"]);
    const view = Object.fromEntries(Object.entries(olds).filter(([property]) => !inputs.has(property)));
    return { outs: outputs(news, view as KeyView) };
  }
  const context = await changeContext(region, news.auditContext);
  const view = await invokeLambda(region, functions.update, "update", { keyId: id, changes, expectedVersion: olds.version, context }, id);
  return { outs: outputs(news, view) };
}

/** Deletes through the delete Lambda: the key stops verifying and its secret is scheduled for deletion. */
async function remove(id: string, props: Props) {
  const { region, functions, recoveryWindowInDays, auditContext } = props as ApiKeyOutputs;
  await invokeLambda(region, functions.delete, "delete", { keyId: id, recoveryWindowInDays, context: await changeContext(region, auditContext) }, id);
}
export { remove as delete };

/**
 * The ApiKey dynamic provider. This module's exports are the provider itself: the resource captures the module,
 * so Pulumi stores only `require("@apikeys/provider-runtime")` in state, not this code.
 */
import { IN_PLACE_FIELDS, type DeleteResult, type KeyView } from "../../contract";

// What the create Lambda takes: the declared fields, not the connection data.
const KEY_FIELDS = ["name", "description", "status", "prefix", "owner", "scopes", "metadata", "expiresAt", "rotation"] as const;
import type { ApiKeyInputs, ApiKeyOutputs } from "./ApiKeyState";
import { checkApiKey } from "./checkApiKey";
import { diffApiKey, differs } from "./diffApiKey";
import { invokeLambda } from "./invokeLambda";

type Props = Record<string, any>;

/** The outputs: inputs first (readable diffs), then what the backend reported. */
function outputs(inputs: Props, view: KeyView): ApiKeyOutputs {
  const { __provider: _ignored, ...declared } = inputs;
  return { ...(declared as ApiKeyInputs), ...view };
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

/** Creates the key through the create Lambda; only metadata comes back. */
export async function create(inputs: Props) {
  const { region, functions } = inputs as ApiKeyInputs;
  const fields = Object.fromEntries(KEY_FIELDS.filter((field) => inputs[field] !== undefined).map((field) => [field, inputs[field]]));
  const view = await invokeLambda<KeyView>(region, functions.create, "create", fields);
  return { id: view.keyId, outs: outputs(inputs, view) };
}

/** Reads the current record, so refresh shows out-of-band changes; a deleted key returns no id and leaves state. */
export async function read(id: string, props: Props) {
  const { region, functions } = props as ApiKeyOutputs;
  const view = await invokeLambda<KeyView | null>(region, functions.read, "read", { keyId: id });
  if (!view) return { id: "", props: {} };
  return { id, props: outputs({ region, functions, recoveryWindowInDays: props.recoveryWindowInDays }, view) };
}

/** Changes fields in place (a new rotation trigger rotates the value), guarded by the version the state last saw. */
export async function update(id: string, olds: Props, news: Props) {
  const { region, functions } = news as ApiKeyInputs;
  // A removed optional field is sent as null, which clears it.
  const changes = Object.fromEntries(IN_PLACE_FIELDS.filter((field) => differs(field, olds, news)).map((field) => [field, news[field] ?? null]));
  if (!Object.keys(changes).length) {
    // Only connection data or the recovery window changed: nothing to tell the backend.
    const { region: _r, functions: _f, recoveryWindowInDays: _w, __provider: _p, ...view } = olds;
    return { outs: outputs(news, view as KeyView) };
  }
  const view = await invokeLambda<KeyView>(region, functions.update, "update", { keyId: id, changes, expectedVersion: olds.version });
  return { outs: outputs(news, view) };
}

/** Deletes through the delete Lambda: the key stops verifying and its secret is scheduled for deletion. */
async function remove(id: string, props: Props) {
  const { region, functions, recoveryWindowInDays } = props as ApiKeyOutputs;
  await invokeLambda<DeleteResult>(region, functions.delete, "delete", { keyId: id, recoveryWindowInDays });
}
export { remove as delete };

/**
 * The ApiKey dynamic provider. This module's exports are the provider itself: the resource captures the module,
 * so Pulumi stores only `require("@apikeys/provider-runtime")` in state, not this code.
 */
import { IN_PLACE_FIELDS, type DeleteResult, type KeyView } from "../../contract";
import type { ApiKeyInputs, ApiKeyOutputs } from "./ApiKeyState";
import { checkApiKey } from "./checkApiKey";
import { diffApiKey } from "./diffApiKey";
import { invokeLambda } from "./invokeLambda";

type Props = Record<string, any>;

/** The outputs: inputs first (readable diffs), then what the backend reported. */
function outputs(inputs: Props, view: KeyView): ApiKeyOutputs {
  const { __provider: _ignored, ...declared } = inputs;
  return { ...(declared as ApiKeyInputs), ...view };
}

/** Validates inputs and fills defaults; invokes nothing. */
export async function check(_olds: Props, news: Props) {
  return checkApiKey(news);
}

/** In place for name, description, status, functions and recoveryWindowInDays; replace for prefix and region. */
export async function diff(_id: string, olds: Props, news: Props) {
  const { changes, replaces, deleteBeforeReplace } = diffApiKey(olds, news);
  return { changes, replaces, deleteBeforeReplace };
}

/** Creates the key through the create Lambda; only metadata comes back. */
export async function create(inputs: Props) {
  const { region, functions, name, description, status, prefix } = inputs as ApiKeyInputs;
  const view = await invokeLambda<KeyView>(region, functions.create, "create", { name, description, status, prefix });
  return { id: view.keyId, outs: outputs(inputs, view) };
}

/** Reads the current record, so refresh shows out-of-band changes; a deleted key returns no id and leaves state. */
export async function read(id: string, props: Props) {
  const { region, functions } = props as ApiKeyOutputs;
  const view = await invokeLambda<KeyView | null>(region, functions.read, "read", { keyId: id });
  if (!view) return { id: "", props: {} };
  return { id, props: outputs({ region, functions, recoveryWindowInDays: props.recoveryWindowInDays }, view) };
}

/** Changes name, description and status in place, guarded by the version the state last saw. */
export async function update(id: string, olds: Props, news: Props) {
  const { region, functions } = news as ApiKeyInputs;
  const changes = Object.fromEntries(IN_PLACE_FIELDS.filter((field) => news[field] !== olds[field]).map((field) => [field, news[field]]));
  const current = olds as ApiKeyOutputs;
  const view = Object.keys(changes).length
    ? await invokeLambda<KeyView>(region, functions.update, "update", { keyId: id, changes, expectedVersion: current.version })
    : current;
  return { outs: outputs(news, { ...current, ...view }) };
}

/** Deletes through the delete Lambda: the key stops verifying and its secret is scheduled for deletion. */
async function remove(id: string, props: Props) {
  const { region, functions, recoveryWindowInDays } = props as ApiKeyOutputs;
  await invokeLambda<DeleteResult>(region, functions.delete, "delete", { keyId: id, recoveryWindowInDays });
}
export { remove as delete };

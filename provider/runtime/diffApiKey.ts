import { DEFAULT_KEY_PREFIX, DEFAULT_RECOVERY_WINDOW_DAYS, KeyStatus, canonicalJson } from "../../contract";
import { INPUT_PROPERTIES, REPLACE_PROPERTIES, UNKNOWN } from "./ApiKeyState";

/** What changed between the state and the new inputs, and whether it needs a new key. */
export interface ApiKeyDiff {
  changes: boolean;
  replaces: string[];
  /** Every changed property, in-place ones included. */
  changed: string[];
  deleteBeforeReplace: false;
}

// State written before a default existed may lack the field: compare what each side means.
const DEFAULTS: Record<string, unknown> = {
  description: "",
  scopes: [],
  allowedCidrs: [],
  metadata: {},
  rotation: {},
  status: KeyStatus.ACTIVE,
  prefix: DEFAULT_KEY_PREFIX,
  recoveryWindowInDays: DEFAULT_RECOVERY_WINDOW_DAYS,
};

/** Whether a property differs between the state and the declaration, defaults taken into account. */
export function differs(property: string, olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  const next = canonicalJson(news[property] ?? DEFAULTS[property]);
  // A value not known until apply may turn out different: report it as a change.
  return next.includes(UNKNOWN) || next !== canonicalJson(olds[property] ?? DEFAULTS[property]);
}

/**
 * Compares declared inputs with the state. Everything changes in place (a new rotation trigger rotates the value in
 * place) except prefix and region, which mean a new key. `__provider` is not an input and is never compared.
 */
export function diffApiKey(olds: Record<string, unknown>, news: Record<string, unknown>): ApiKeyDiff {
  const changed = INPUT_PROPERTIES.filter((property) => differs(property, olds, news));
  const replaces = changed.filter((property) => (REPLACE_PROPERTIES as readonly string[]).includes(property));
  return { changes: changed.length > 0, replaces, changed: [...changed], deleteBeforeReplace: false };
}

import type { KeyEntry, TableScan } from "../backend/scanKeys";
import { compareLookups, type LookupDisagreement } from "./compareLookups";
import { COMPARED_FIELDS, type ComparedField, type ManagedKey } from "./managedKeysOf";

/** Kinds of drift between stack state and the backend. */
export const DriftKind = {
  /** A live key in the backend that none of the given stacks manages. */
  UNMANAGED: "unmanaged",
  /** In state, but the backend has no record of it. */
  MISSING: "missing",
  /** In state, but deleted in the backend (a tombstone). */
  DELETED: "deleted",
  /** In state and live, with a compared field that differs. */
  CHANGED: "changed",
  /** Managed by more than one resource: two stacks would fight over it. */
  DUPLICATE: "duplicate",
  /** The backend's record and its lookup items disagree, so verify answers otherwise than the record says. */
  LOOKUP: "lookup",
} as const;
/** One of {@link DriftKind}. */
export type DriftKind = (typeof DriftKind)[keyof typeof DriftKind];

/** A compared field whose value in state differs from the backend's. */
export interface FieldDifference {
  field: ComparedField;
  state?: string;
  backend?: string;
}

/** A resource of a stack that manages a key. */
export interface ManagedBy {
  stack: string;
  resource: string;
}

/** One key that drifted. */
export interface DriftFinding {
  kind: DriftKind;
  keyId: string;
  /** The backend's name for the key, else the state's. */
  name?: string;
  managedBy: ManagedBy[];
  /** For `changed`. */
  differences?: FieldDifference[];
  /** For `deleted`. */
  deletedAt?: string;
  /** For `lookup`: each lookup item of the key that disagrees with its record. */
  lookups?: LookupDisagreement[];
}

/** The outcome of a comparison. */
export interface DriftReport {
  /** Resources compared with the backend. */
  compared: number;
  /** Resources not compared, because their keys live in another region than the one read. */
  skipped: ManagedKey[];
  findings: DriftFinding[];
}

/** Options of {@link compareDrift}. */
export interface CompareDriftOptions {
  /** The region the backend was read in: resources of keys in another region are skipped, not reported missing. */
  region?: string;
  /** Every record and lookup item as stored: given, their disagreements are findings too, for any key. */
  stored?: Pick<TableScan, "records" | "lookups">;
}

const KIND_ORDER: DriftKind[] = Object.values(DriftKind);

// A description is "" when not declared and an owner absent, in state and backend alike.
function normalised(field: ComparedField, value: string | undefined): string | undefined {
  if (field === "description") return value ?? "";
  return value === "" ? undefined : value;
}

function differences(managed: ManagedKey, entry: KeyEntry): FieldDifference[] {
  return COMPARED_FIELDS.flatMap((field) => {
    const state = normalised(field, managed.fields[field]);
    const backend = normalised(field, entry[field]);
    return state === backend ? [] : [{ field, ...(state !== undefined ? { state } : {}), ...(backend !== undefined ? { backend } : {}) }];
  });
}

/** Compares the ApiKey resources of some stacks with every record of the backend. Pure: no I/O. */
export function compareDrift(managed: ManagedKey[], backend: KeyEntry[], options: CompareDriftOptions = {}): DriftReport {
  const records = new Map(backend.map((entry) => [entry.keyId, entry]));
  const managers = new Map<string, ManagedKey[]>();
  for (const key of managed) managers.set(key.keyId, [...(managers.get(key.keyId) ?? []), key]);
  const findings: DriftFinding[] = [];
  const skipped: ManagedKey[] = [];
  let compared = 0;

  for (const key of managed) {
    if (key.pendingDelete) continue;
    if (options.region && key.region && key.region !== options.region) {
      skipped.push(key);
      continue;
    }
    compared += 1;
    const managedBy = [{ stack: key.stack, resource: key.resource }];
    const entry = records.get(key.keyId);
    if (!entry) findings.push({ kind: DriftKind.MISSING, keyId: key.keyId, name: key.fields.name, managedBy });
    else if (entry.status === "deleted") findings.push({ kind: DriftKind.DELETED, keyId: key.keyId, name: entry.name, managedBy, deletedAt: entry.deletedAt });
    else {
      const changed = differences(key, entry);
      if (changed.length) findings.push({ kind: DriftKind.CHANGED, keyId: key.keyId, name: entry.name, managedBy, differences: changed });
    }
  }
  for (const [keyId, keys] of managers) {
    const live = keys.filter((key) => !key.pendingDelete);
    if (live.length > 1) {
      findings.push({
        kind: DriftKind.DUPLICATE,
        keyId,
        name: records.get(keyId)?.name ?? live[0].fields.name,
        managedBy: live.map(({ stack, resource }) => ({ stack, resource })),
      });
    }
  }
  for (const entry of backend) {
    if (entry.status !== "deleted" && !managers.has(entry.keyId)) {
      findings.push({ kind: DriftKind.UNMANAGED, keyId: entry.keyId, name: entry.name, managedBy: [] });
    }
  }
  const disagreements = new Map<string, LookupDisagreement[]>();
  for (const found of options.stored ? compareLookups(options.stored.records, options.stored.lookups) : []) {
    disagreements.set(found.keyId, [...(disagreements.get(found.keyId) ?? []), found]);
  }
  for (const [keyId, lookups] of disagreements) {
    const managedBy = (managers.get(keyId) ?? []).map(({ stack, resource }) => ({ stack, resource }));
    findings.push({ kind: DriftKind.LOOKUP, keyId, name: records.get(keyId)?.name, managedBy, lookups });
  }
  findings.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.keyId.localeCompare(b.keyId));
  return { compared, skipped, findings };
}

import type { KeyEntry } from "../../../cli/backend/scanKeys";
import { compareDrift, DriftKind, type CompareDriftOptions } from "../../../cli/drift/compareDrift";
import type { ManagedKey } from "../../../cli/drift/managedKeysOf";

function entry(keyId: string, fields: Partial<KeyEntry> = {}): KeyEntry {
  return {
    keyId,
    name: `name of ${keyId}`,
    description: "",
    status: "active",
    prefix: "ak",
    maskedKey: "ak_abcd…wxyz",
    createdAt: "2026-11-01T00:00:00.000Z",
    updatedAt: "2026-11-01T00:00:00.000Z",
    version: 1,
    scopes: [],
    metadata: {},
    rotation: {},
    allowedCidrs: [],
    ...fields,
  };
}

function managed(keyId: string, fields: ManagedKey["fields"] = {}, extra: Partial<ManagedKey> = {}): ManagedKey {
  return { stack: "dev", resource: `res-${keyId}`, urn: `urn:pulumi:dev::p::t::res-${keyId}`, keyId, fields: { name: `name of ${keyId}`, description: "", status: "active", ...fields }, region: "us-east-1", pendingDelete: false, ...extra };
}

describe("compareDrift", () => {
  it("finds nothing when every managed key matches its live record and no other key is live", () => {
    const report = compareDrift([managed("key_a"), managed("key_b")], [entry("key_a"), entry("key_b"), entry("key_old", { status: "deleted" })]);
    expect(report).toEqual({ compared: 2, skipped: [], findings: [] });
  });

  it("reports a live key that none of the stacks manages, but not a tombstone", () => {
    const report = compareDrift([managed("key_a")], [entry("key_a"), entry("key_x", { name: "Stray" }), entry("key_gone", { status: "deleted" })]);
    expect(report.findings).toEqual([{ kind: DriftKind.UNMANAGED, keyId: "key_x", name: "Stray", managedBy: [] }]);
  });

  it("reports a key in state that the backend does not have, or has only as a tombstone", () => {
    const report = compareDrift([managed("key_a"), managed("key_b")], [entry("key_b", { status: "deleted", deletedAt: "2026-11-20T00:00:00.000Z" })]);
    expect(report.findings).toEqual([
      { kind: DriftKind.MISSING, keyId: "key_a", name: "name of key_a", managedBy: [{ stack: "dev", resource: "res-key_a" }] },
      { kind: DriftKind.DELETED, keyId: "key_b", name: "name of key_b", managedBy: [{ stack: "dev", resource: "res-key_b" }], deletedAt: "2026-11-20T00:00:00.000Z" },
    ]);
  });

  it("reports each compared field that differs, with both values", () => {
    const report = compareDrift(
      [managed("key_a", { status: "active", name: "Old", description: "declared", owner: "team-a" })],
      [entry("key_a", { status: "inactive", name: "New", description: "", owner: "team-b" })],
    );
    expect(report.findings).toEqual([
      {
        kind: DriftKind.CHANGED,
        keyId: "key_a",
        name: "New",
        managedBy: [{ stack: "dev", resource: "res-key_a" }],
        differences: [
          { field: "name", state: "Old", backend: "New" },
          { field: "description", state: "declared", backend: "" },
          { field: "status", state: "active", backend: "inactive" },
          { field: "owner", state: "team-a", backend: "team-b" },
        ],
      },
    ]);
  });

  it("treats an absent description as empty and an empty owner as absent, so defaults are not drift", () => {
    const report = compareDrift([managed("key_a", { description: undefined, owner: "" })], [entry("key_a")]);
    expect(report.findings).toEqual([]);
  });

  it("reports an owner set on only one side", () => {
    const report = compareDrift([managed("key_a")], [entry("key_a", { owner: "team-b" })]);
    expect(report.findings[0].differences).toEqual([{ field: "owner", backend: "team-b" }]);
  });

  it("reports a key that two stacks manage, and does not call it unmanaged", () => {
    const report = compareDrift([managed("key_a"), managed("key_a", {}, { stack: "prod", resource: "partner" })], [entry("key_a")]);
    expect(report.findings).toEqual([
      { kind: DriftKind.DUPLICATE, keyId: "key_a", name: "name of key_a", managedBy: [{ stack: "dev", resource: "res-key_a" }, { stack: "prod", resource: "partner" }] },
    ]);
  });

  it("skips resources of keys in another region instead of calling them missing, and still counts their keys as managed", () => {
    const elsewhere = managed("key_eu", {}, { region: "eu-west-1" });
    const report = compareDrift([elsewhere], [entry("key_eu")], { region: "us-east-1" });
    expect(report).toEqual({ compared: 0, skipped: [elsewhere], findings: [] });
  });

  it("leaves a resource pending deletion alone, and its key is not unmanaged", () => {
    const report = compareDrift([managed("key_old", { name: "Renamed" }, { pendingDelete: true })], [entry("key_old")]);
    expect(report).toEqual({ compared: 0, skipped: [], findings: [] });
  });

  it("reports the lookup items that disagree with their records as one finding per key, managed or not", () => {
    const hash = "a".repeat(64);
    const stray = "b".repeat(64);
    const stored: CompareDriftOptions["stored"] = {
      records: [{ keyId: "key_a", status: "inactive", name: "name of key_a", hash }],
      lookups: [
        { hash, keyId: "key_a", status: "active", name: "name of key_a" },
        { hash: stray, keyId: "key_gone", status: "active", name: "Gone" },
      ],
    };
    const report = compareDrift([managed("key_a", { status: "inactive" })], [entry("key_a", { status: "inactive" })], { stored });
    expect(report.findings).toEqual([
      {
        kind: DriftKind.LOOKUP,
        keyId: "key_a",
        name: "name of key_a",
        managedBy: [{ stack: "dev", resource: "res-key_a" }],
        lookups: [{ keyId: "key_a", problem: "differs", value: "current", hash: "aaaaaaaaaaaa", differences: [{ field: "status", record: '"inactive"', lookup: '"active"' }] }],
      },
      { kind: DriftKind.LOOKUP, keyId: "key_gone", name: undefined, managedBy: [], lookups: [{ keyId: "key_gone", problem: "orphaned", hash: "bbbbbbbbbbbb" }] },
    ]);
  });
});

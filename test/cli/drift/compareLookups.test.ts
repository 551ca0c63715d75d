import type { ListedLookup, ListedRecord } from "../../../lambdas/store/KeyStore";
import { compareLookups, LookupProblem } from "../../../cli/drift/compareLookups";

const CURRENT = "a".repeat(64);
const PREVIOUS = "b".repeat(64);
const PENDING = "c".repeat(64);

function record(fields: Partial<ListedRecord> = {}): ListedRecord {
  return { keyId: "key_a", status: "active", name: "Partner X", scopes: ["orders:read"], metadata: { tier: "gold" }, hash: CURRENT, ...fields };
}

function lookup(hash: string, fields: Partial<ListedLookup> = {}): ListedLookup {
  return { hash, keyId: "key_a", status: "active", name: "Partner X", scopes: ["orders:read"], metadata: { tier: "gold" }, ...fields };
}

describe("compareLookups", () => {
  it("finds nothing when every lookup item copies its record, whatever the order of map entries", () => {
    const rotated = record({ previousHash: PREVIOUS, pendingHash: PENDING, metadata: { tier: "gold", region: "eu" } });
    const items = [CURRENT, PREVIOUS, PENDING].map((hash) => lookup(hash, { metadata: { region: "eu", tier: "gold" } }));
    expect(compareLookups([rotated], items)).toEqual([]);
  });

  it("takes an absent list or map to mean an empty one, on either side", () => {
    expect(compareLookups([record({ scopes: undefined, metadata: undefined })], [lookup(CURRENT, { scopes: [], metadata: {} })])).toEqual([]);
  });

  it("reports a status set on the record alone, as a hand edit of the table would, with both values", () => {
    expect(compareLookups([record({ status: "inactive" })], [lookup(CURRENT)])).toEqual([
      { keyId: "key_a", problem: LookupProblem.DIFFERS, value: "current", hash: "aaaaaaaaaaaa", differences: [{ field: "status", record: '"inactive"', lookup: '"active"' }] },
    ]);
  });

  it("reports every copied field that differs, on the value it concerns", () => {
    const items = [lookup(CURRENT), lookup(PREVIOUS, { name: "Old name", scopes: ["orders:write"], metadata: {}, expiresAt: "2027-01-31T00:00:00.000Z" })];
    expect(compareLookups([record({ previousHash: PREVIOUS })], items)).toEqual([
      {
        keyId: "key_a",
        problem: LookupProblem.DIFFERS,
        value: "previous",
        hash: "bbbbbbbbbbbb",
        differences: [
          { field: "name", record: '"Partner X"', lookup: '"Old name"' },
          { field: "scopes", record: '["orders:read"]', lookup: '["orders:write"]' },
          { field: "metadata", record: '{"tier":"gold"}', lookup: "{}" },
          { field: "expiresAt", lookup: '"2027-01-31T00:00:00.000Z"' },
        ],
      },
    ]);
  });

  it("reports a lookup item its record does not name, and one left for a deleted key or a key with no record", () => {
    const records = [record(), record({ keyId: "key_gone", status: "deleted", hash: undefined })];
    const items = [lookup(CURRENT), lookup(PENDING), lookup(PREVIOUS, { keyId: "key_gone" }), lookup("d".repeat(64), { keyId: "key_never" })];
    expect(compareLookups(records, items)).toEqual([
      { keyId: "key_a", problem: LookupProblem.UNNAMED, hash: "cccccccccccc" },
      { keyId: "key_gone", problem: LookupProblem.ORPHANED, hash: "bbbbbbbbbbbb" },
      { keyId: "key_never", problem: LookupProblem.ORPHANED, hash: "dddddddddddd" },
    ]);
  });

  it("reports a live key whose current value has no lookup item, but not a tombstone", () => {
    expect(compareLookups([record(), record({ keyId: "key_gone", status: "deleted", hash: undefined })], [])).toEqual([
      { keyId: "key_a", problem: LookupProblem.MISSING, value: "current", hash: "aaaaaaaaaaaa" },
    ]);
  });
});

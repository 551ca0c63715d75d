import { ItemKey, ItemType } from "../../../contract";
import { readListedItem } from "../../../lambdas/store/readListedItem";

const KEY_ID = "key_0123456789abcdef";

describe("readListedItem", () => {
  it("reads a record with its listed fields, rotation included, and never its secret's address", () => {
    const read = readListedItem({
      pk: ItemKey.record(KEY_ID),
      type: ItemType.record,
      keyId: KEY_ID,
      name: "Metered",
      rotation: { gracePeriod: "1h" },
      allowedCidrs: ["10.0.0.0/8"],
      notBefore: "2000-01-01T00:00:00.000Z",
      creditsSetAt: "2026-11-28T13:02:00.000Z",
      secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:apikeys/metered",
      secretVersionId: "v1",
      requestToken: "token",
    });
    expect(read).toEqual({
      record: { keyId: KEY_ID, name: "Metered", rotation: { gracePeriod: "1h" }, allowedCidrs: ["10.0.0.0/8"], notBefore: "2000-01-01T00:00:00.000Z", creditsSetAt: "2026-11-28T13:02:00.000Z" },
    });
  });

  it("reads a usage item as its key's counters: the rate-limit windows and credit epochs that are numbers, nothing else", () => {
    const read = readListedItem({ pk: ItemKey.usage(KEY_ID), type: ItemType.usage, keyId: KEY_ID, rate_60_29000000: 4, credits_0_0: 46, credits_1_1: "many", note: 7 });
    expect(read).toEqual({ usage: { keyId: KEY_ID, counters: { rate_60_29000000: 4, credits_0_0: 46 } } });
  });

  it("leaves out a usage item that names no key, as it does a record without a keyId", () => {
    expect(readListedItem({ pk: ItemKey.usage(KEY_ID), type: ItemType.usage, credits_0_0: 46 })).toBeUndefined();
    expect(readListedItem({ pk: ItemKey.record(KEY_ID), type: ItemType.record, name: "No keyId" })).toBeUndefined();
  });
});

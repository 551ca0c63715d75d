import { createKey, keyChecksum } from "../../../contract";
import { findKeys } from "../../../cli/scan/findKeys";

/** A key of the same shape whose checksum is wrong: what a pattern-only scanner cannot tell from a key. */
function wrongChecksum(key: string): string {
  const random = key.slice(key.indexOf("_") + 1, -6);
  const checksum = keyChecksum(random);
  const wrong = checksum.slice(0, -1) + (checksum.endsWith("0") ? "1" : "0");
  return `${key.slice(0, key.indexOf("_") + 1)}${random}${wrong}`;
}

describe("findKeys", () => {
  it("finds every key with its line and column, whatever the prefix and the surrounding syntax", () => {
    const keys = ["ak", "svc", "a1", "abcdefghijklmnop"].map((prefix) => createKey(prefix).key);
    const text = [`API_KEY=${keys[0]}`, "", `{"token": "${keys[1]}", "other": "${keys[2]}"}`, `https://x.test/?key=${keys[3]}&a=1`].join("\n");
    expect(findKeys(text)).toEqual([
      { key: keys[0], line: 1, column: 9 },
      { key: keys[1], line: 3, column: 12 },
      { key: keys[2], line: 3, column: 12 + keys[1].length + 13 },
      { key: keys[3], line: 4, column: 21 },
    ]);
  });

  it("finds adjacent keys separated by one character, and keys on CRLF lines", () => {
    const [a, b] = [createKey().key, createKey().key];
    expect(findKeys(`${a},${b}\r\n${b}`).map(({ key, line }) => [key, line])).toEqual([
      [a, 1],
      [b, 1],
      [b, 2],
    ]);
  });

  it("reports nothing for strings of a key's shape whose checksum is wrong", () => {
    const keys = Array.from({ length: 200 }, () => createKey().key);
    const lookalikes = keys.map(wrongChecksum);
    expect(findKeys(lookalikes.join("\n"))).toEqual([]);
    // The same lines with the real keys: the check sees them, so the empty result above means something.
    expect(findKeys(keys.join("\n"))).toHaveLength(200);
  });

  it("does not take part of a longer word for a key: a key is a whole word", () => {
    const { key } = createKey();
    expect(findKeys(`X${key} ${key}x 9${key} ${key}_x _${key}`)).toEqual([]);
    expect(findKeys(`-${key}-`)).toEqual([{ key, line: 1, column: 2 }]);
    // The checksum covers the random part, not the prefix: a lower-case letter in front makes another well-formed key.
    expect(findKeys(`x${key}`)).toEqual([{ key: `x${key}`, line: 1, column: 1 }]);
  });
});

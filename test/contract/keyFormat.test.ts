import { crc32 as zlibCrc32 } from "node:zlib";
import { createKey, encodeBase62, hashKey, keyChecksum, keySource, maskKey, parseKey, randomBase62, crc32, KEY_PATTERN, KEY_PREFIX_PATTERN, KEY_RANDOM_LENGTH } from "../../contract";

// Vectors computed outside this code base (Python's zlib.crc32 and hashlib.sha256).
const ZERO_BYTES = (size: number) => Buffer.alloc(size, 0);
const COUNTING_BYTES = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => i % 62));

describe("hashKey", () => {
  it.each([
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    ["ak_0000000000000000000000000000002C8GjS", "31df2112f6f69765e49423465c21244a30c167ca90a8d5b8c2713e7e20a70e9e"],
    ["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", "d52c53cd690cac6f7cf036365edccfc4d1d44f4f773972e1ce610dc12158c424"],
  ])("hashes %j to the SHA-256 test vector", (input, expected) => {
    expect(hashKey(input)).toBe(expected);
  });
});

describe("crc32", () => {
  it("gives the IEEE check value for 123456789", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
  });

  it("agrees with zlib on random base62 strings", () => {
    for (let i = 0; i < 50; i++) {
      const text = randomBase62(30);
      expect(crc32(text)).toBe(zlibCrc32(text));
    }
  });
});

describe("encodeBase62", () => {
  it.each([
    [0, 6, "000000"],
    [61, 2, "0z"],
    [62, 2, "10"],
    [0xffffffff, 6, "4gfFC3"],
  ])("encodes %d in %d characters as %s", (value, width, expected) => {
    expect(encodeBase62(value, width)).toBe(expected);
  });

  it("refuses a value that does not fit the width", () => {
    expect(() => encodeBase62(62 ** 2, 2)).toThrow(RangeError);
  });
});

describe("randomBase62", () => {
  it("drops bytes that would bias the alphabet", () => {
    // 248..255 are rejected, so the first character comes from the byte after them.
    const bytes = Buffer.from([255, 248, 61, 1, 2, 3]);
    expect(randomBase62(1, () => bytes)).toBe("z");
  });
});

describe("createKey", () => {
  it("produces the documented vector for a fixed random source", () => {
    expect(createKey("ak", ZERO_BYTES)).toEqual({
      key: "ak_0000000000000000000000000000002C8GjS",
      hash: "31df2112f6f69765e49423465c21244a30c167ca90a8d5b8c2713e7e20a70e9e",
      start: "ak_0000",
    });
    expect(createKey("ghp", COUNTING_BYTES).key).toBe("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");
  });

  it("makes prefix, underscore, 30 random and 6 checksum characters", () => {
    const { key } = createKey("partner");
    expect(key).toMatch(/^partner_[0-9A-Za-z]{36}$/);
  });

  it("never repeats a key", () => {
    const keys = new Set(Array.from({ length: 1000 }, () => createKey().key));
    expect(keys.size).toBe(1000);
  });

  it("refuses a prefix outside the pattern", () => {
    expect(() => createKey("A")).toThrow(/prefix/);
  });
});

describe("parseKey", () => {
  const { key } = createKey("ak", COUNTING_BYTES);

  it("splits a well-formed key", () => {
    expect(parseKey(key)).toEqual({ prefix: "ak", random: "0123456789ABCDEFGHIJKLMNOPQRST", checksum: keyChecksum("0123456789ABCDEFGHIJKLMNOPQRST") });
  });

  it("rejects every single-character change of the random part", () => {
    for (let i = 3; i < 3 + KEY_RANDOM_LENGTH; i++) {
      const flipped = key.slice(0, i) + (key[i] === "x" ? "y" : "x") + key.slice(i + 1);
      expect(parseKey(flipped)).toBeUndefined();
    }
  });

  it.each([
    ["an empty string", ""],
    ["no separator", "ak0123456789ABCDEFGHIJKLMNOPQRST4PMbyp"],
    ["an upper-case prefix", "AK_0000000000000000000000000000002C8GjS"],
    ["a short body", "ak_0000000000000000000000000000002C8Gj"],
    ["a non-base62 character", "ak_000000000000000000000000000000-C8GjS"],
    ["a wrong checksum", "ak_0000000000000000000000000000002C8GjT"],
  ])("rejects %s", (_what, candidate) => {
    expect(parseKey(candidate)).toBeUndefined();
  });
});

describe("maskKey", () => {
  it("shows the prefix, four random and the last four characters only", () => {
    expect(maskKey("ak_0000000000000000000000000000002C8GjS")).toBe("ak_0000…8GjS");
  });
});

describe("keySource, the one pattern of a key", () => {
  const whole = (source: string) => new RegExp(`^${source}$`);

  it("matches every generated key of any allowed prefix, and the prefix check is its prefix part", () => {
    for (const prefix of ["ak", "svc", "a1", "abcdefghijklmnop"]) expect(createKey(prefix).key).toMatch(whole(keySource()));
    expect(KEY_PREFIX_PATTERN.source).toBe(`^${KEY_PATTERN.prefix}$`);
    expect(KEY_PREFIX_PATTERN.source).toBe("^[a-z][a-z0-9]{1,15}$");
  });

  it("matches only the given prefixes, in a sorted, distinct alternation", () => {
    expect(keySource(["svc", "ak", "svc"])).toBe("(?:ak|svc)_[0-9A-Za-z]{36}");
    expect(createKey("svc").key).toMatch(whole(keySource(["ak", "svc"])));
    expect(createKey("bill").key).not.toMatch(whole(keySource(["ak", "svc"])));
  });

  it("matches no string one character short or long", () => {
    const { key } = createKey("ak");
    expect(key.slice(0, -1)).not.toMatch(whole(keySource()));
    expect(`${key}x`).not.toMatch(whole(keySource()));
  });

  it("refuses a prefix outside the format instead of building a pattern from it", () => {
    expect(() => keySource(["ak", "a|b"])).toThrow(/prefix "a\|b" must match/);
    expect(() => keySource(["AK"])).toThrow(RangeError);
  });
});

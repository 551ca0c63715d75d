import { createHash } from "node:crypto";
import { createKey } from "../../contract";

/**
 * Example keys of `prefix` for test strings: valid keys of the format, made from a fixed seed so that generated files
 * are the same on every run, and never issued by any backend (no backend holds their hashes).
 */
export function exampleKeys(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    let block = 0;
    const seeded = (size: number) => {
      const bytes: Buffer[] = [];
      for (let length = 0; length < size; length += 32) bytes.push(createHash("sha256").update(`apikeys scanner example ${prefix} ${index} ${block++}`).digest());
      return Buffer.concat(bytes).subarray(0, size);
    };
    return createKey(prefix, seeded).key;
  });
}

/** The fields every benchmark key declares: a typical service key (name, description, owner, one scope). */
export const BENCH_KEY_FIELDS = "name, description, owner and one scope";

/** A keys file declaring `count` keys, as JSON (which the keys file loader reads as the YAML it also is). */
export function benchKeysFile(count: number): string {
  const keys: Record<string, Record<string, unknown>> = {};
  for (let i = 1; i <= count; i++) {
    const id = `bench-${String(i).padStart(4, "0")}`;
    keys[id] = { name: `Bench key ${i}`, description: "Reads orders for the benchmark partner", owner: "platform-bench", scopes: ["orders:read"] };
  }
  return JSON.stringify({ keys });
}

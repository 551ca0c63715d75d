import fs from "node:fs";

/** How a failpoint fails: throw an error, or hang until the Lambda's timeout kills the invocation. */
type FailMode = "throw" | "hang";

/**
 * Fault injection for the no-orphan tests: when the file named by APIKEYS_FAILPOINT_FILE contains `<point>:<mode>`,
 * the operation stops at that point. Without the variable (always, in a deployment) this returns at once.
 */
export async function failpoint(point: string): Promise<void> {
  const file = process.env.APIKEYS_FAILPOINT_FILE;
  if (!file) return;
  let active = "";
  try {
    active = fs.readFileSync(file, "utf8").trim();
  } catch {
    return;
  }
  const [name, mode = "throw"] = active.split(":") as [string, FailMode?];
  if (name !== point) return;
  if (mode === "hang") await new Promise(() => undefined);
  throw new Error(`failpoint ${point}`);
}

import { createHash } from "node:crypto";

/** The Content-Security-Policy source that allows exactly one inline script or style: `'sha256-…'` of its text. */
export function cspHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

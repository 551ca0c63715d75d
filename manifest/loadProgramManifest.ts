import * as pulumi from "@pulumi/pulumi";
import type { KeyManifest } from "./KeyManifest";
import { ManifestError } from "./ManifestError";
import { loadManifest } from "./loadManifest";

/**
 * {@link loadManifest} for a Pulumi program: a bad manifest fails the program as a RunError, which Pulumi prints as
 * its message alone (one `file:line: path: problem` per line) without a stack trace, so a preview posted to a pull
 * request shows exactly what to fix.
 */
export function loadProgramManifest(file: string): KeyManifest {
  try {
    return loadManifest(file);
  } catch (error) {
    if (error instanceof ManifestError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

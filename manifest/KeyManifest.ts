import type { KeyStatus, RotationSettings } from "../contract";

/** One key as a manifest declares it: the ApiKey inputs a reviewer controls, exactly as written (defaults stay implicit). */
export interface KeyDeclaration {
  name: string;
  description?: string;
  status?: KeyStatus;
  prefix?: string;
  owner?: string;
  scopes?: string[];
  metadata?: Record<string, string>;
  expiresAt?: string;
  rotation?: RotationSettings;
  recoveryWindowInDays?: number;
}

/** One entry of the `keys` mapping. */
export interface ManifestEntry {
  /** The mapping key: the Pulumi resource name, so renaming it replaces the key. */
  id: string;
  /** 1-based line of the entry's id in the file. */
  line: number;
  declaration: KeyDeclaration;
}

/** A validated keys manifest. */
export interface KeyManifest {
  file: string;
  entries: ManifestEntry[];
}

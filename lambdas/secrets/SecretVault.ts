/** A new secret to store. */
export interface NewSecret {
  name: string;
  value: string;
  description: string;
  /** A KMS key id, ARN or alias; the account's default key when absent. */
  kmsKeyId?: string;
  tags: Record<string, string>;
}

/** What a secret holds besides its values: tags and which version carries which stage. */
export interface SecretDescription {
  arn: string;
  tags: Record<string, string>;
  /** Version id to its stages (AWSCURRENT, AWSPENDING, AWSPREVIOUS). */
  versions: Record<string, string[]>;
  /** Set when the secret is scheduled for deletion. */
  deletedDate?: Date;
  /** Days between scheduled rotations, when scheduled rotation is on. */
  rotationDays?: number;
}

/** Where plaintext keys live: the only place they are ever written. */
export interface SecretVault {
  /** Stores a new secret and returns its ARN and the id of its first version. */
  create(secret: NewSecret): Promise<{ arn: string; versionId: string }>;
  describe(secretId: string): Promise<SecretDescription>;
  /** The value of one version, chosen by id and/or stage; undefined when there is no such version. */
  getValue(secretId: string, version: { versionId?: string; stage?: string }): Promise<string | undefined>;
  /** Stores `value` as a new version labelled AWSPENDING under the id `token`. */
  putPending(secretId: string, token: string, value: string): Promise<void>;
  /**
   * Moves AWSCURRENT to `versionId` from `fromVersionId`, the version last seen holding it (which becomes AWSPREVIOUS).
   * Fails when the label moved meanwhile, so a mover acting on an old view cannot undo a newer move unseen.
   */
  moveCurrent(secretId: string, versionId: string, fromVersionId: string | undefined): Promise<void>;
  /** Takes AWSPENDING off `versionId`; when the label is on another version by now, or on none, there is nothing to do. */
  clearPending(secretId: string, versionId: string): Promise<void>;
  /** Turns on scheduled rotation by `rotationFunctionArn` every `days` days, without rotating now. */
  scheduleRotation(secretId: string, rotationFunctionArn: string, days: number): Promise<void>;
  /** Turns scheduled rotation off. */
  cancelRotation(secretId: string): Promise<void>;
  /**
   * Schedules a secret for deletion after `recoveryWindowInDays` (0 deletes at once).
   * A secret that is gone or already scheduled counts as done, so a retried delete converges.
   */
  scheduleDeletion(secretId: string, recoveryWindowInDays: number): Promise<void>;
}

/** Secrets Manager's stage labels. */
export const SecretStage = { CURRENT: "AWSCURRENT", PENDING: "AWSPENDING", PREVIOUS: "AWSPREVIOUS" } as const;

/** A new secret to store. */
export interface NewSecret {
  name: string;
  value: string;
  description: string;
  /** A KMS key id, ARN or alias; the account's default key when absent. */
  kmsKeyId?: string;
  tags: Record<string, string>;
}

/** Where plaintext keys live: the only place they are ever written. */
export interface SecretVault {
  /** Stores a new secret and returns its ARN. */
  create(secret: NewSecret): Promise<string>;
  /**
   * Schedules a secret for deletion after `recoveryWindowInDays` (0 deletes at once).
   * A secret that is gone or already scheduled counts as done, so a retried delete converges.
   */
  scheduleDeletion(secretId: string, recoveryWindowInDays: number): Promise<void>;
}

import { GetSecretValueCommand, ListSecretsCommand, ListSecretVersionIdsCommand } from "@aws-sdk/client-secrets-manager";
import type { LocalAws } from "./useLocalStack";

/** Collects every plaintext a suite's backend issued, so tests can assert that none escaped anywhere else. */
export interface LeakScan {
  /** Reads every version of every live secret; call after each step, before deletions hide values. */
  collect(): Promise<Set<string>>;
  /** Fails when any collected plaintext occurs in any of the named texts. */
  expectAbsent(texts: Record<string, string>): Promise<void>;
}

/** A leak scanner over the secrets of `aws`'s local stack. */
export function leakScan(aws: LocalAws): LeakScan {
  const plaintexts = new Set<string>();
  const scan: LeakScan = {
    async collect() {
      const { SecretList = [] } = await aws.secrets.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
      for (const secret of SecretList) {
        if (secret.DeletedDate) continue;
        const { Versions = [] } = await aws.secrets.send(new ListSecretVersionIdsCommand({ SecretId: secret.ARN, IncludeDeprecated: true }));
        for (const { VersionId } of Versions) {
          const { SecretString } = await aws.secrets.send(new GetSecretValueCommand({ SecretId: secret.ARN, VersionId }));
          if (SecretString) plaintexts.add(SecretString);
        }
      }
      return plaintexts;
    },
    async expectAbsent(texts) {
      await scan.collect();
      if (plaintexts.size === 0) throw new Error("leak scan: no plaintext collected, so the scan would prove nothing");
      const leaks = Object.entries(texts).filter(([, text]) => [...plaintexts].some((plaintext) => text.includes(plaintext)));
      expect(leaks.map(([place]) => place)).toEqual([]);
    },
  };
  return scan;
}

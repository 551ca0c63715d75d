import { GetSecretValueCommand, ListSecretVersionIdsCommand, paginateListSecrets } from "@aws-sdk/client-secrets-manager";
import type { LocalAws } from "./useLocalStack";

/** Collects every plaintext a suite's backend issued, so tests can assert that none escaped anywhere else. */
export interface LeakScan {
  /** Reads every version of every live secret; runs after each test, and should run before a test deletes keys. */
  collect(): Promise<Set<string>>;
  /** Fails when any plaintext collected so far occurs in any of the named texts. */
  expectAbsent(texts: Record<string, string>): Promise<void>;
}

/** A leak scanner over the secrets of `aws`'s local stack, collecting after every test of the suite. */
export function useLeakScan(aws: LocalAws): LeakScan {
  const plaintexts = new Set<string>();
  const scan: LeakScan = {
    async collect() {
      for await (const page of paginateListSecrets({ client: aws.secrets }, { IncludePlannedDeletion: true })) {
        for (const secret of page.SecretList ?? []) {
          // A secret scheduled for deletion cannot be read: its values were collected while it lived.
          if (secret.DeletedDate) continue;
          const { Versions = [] } = await aws.secrets.send(new ListSecretVersionIdsCommand({ SecretId: secret.ARN, IncludeDeprecated: true }));
          for (const { VersionId } of Versions) {
            const { SecretString } = await aws.secrets.send(new GetSecretValueCommand({ SecretId: secret.ARN, VersionId }));
            if (SecretString) plaintexts.add(SecretString);
          }
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
  afterEach(async () => {
    await scan.collect();
  });
  return scan;
}

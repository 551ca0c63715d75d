import type { ChangeContext } from "../../contract";

// The caller's identity does not change while the provider process lives: ask STS once.
let actor: Promise<string | undefined> | undefined;

/** CI systems' variables for the commit being deployed, most specific first. */
const COMMIT_VARIABLES = ["GITHUB_SHA", "CI_COMMIT_SHA", "BUILD_SOURCEVERSION", "BITBUCKET_COMMIT", "CIRCLE_SHA1", "GIT_COMMIT"] as const;

async function callerArn(region: string): Promise<string | undefined> {
  const { STSClient, GetCallerIdentityCommand } = require("@aws-sdk/client-sts") as typeof import("@aws-sdk/client-sts");
  const client = new STSClient({ region });
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn;
  } catch {
    // The audit trail notes an unknown actor rather than failing the deployment.
    return undefined;
  } finally {
    client.destroy();
  }
}

/** Who is changing a key, for the audit trail: the AWS identity, the stack that declares it, the commit if CI has one. */
export async function changeContext(region: string, declared: { project?: string; stack?: string } | undefined): Promise<ChangeContext> {
  actor ??= callerArn(region);
  const commit = COMMIT_VARIABLES.map((name) => process.env[name]).find(Boolean);
  const context: ChangeContext = { actor: await actor, project: declared?.project, stack: declared?.stack, commit };
  return Object.fromEntries(Object.entries(context).filter(([, value]) => value)) as ChangeContext;
}

import path from "node:path";
import { BACKEND_FUNCTIONS, BackendEnv, DEFAULT_AUDIT_TABLE_NAME, DEFAULT_BACKEND_PREFIX, DEFAULT_TABLE_NAME, FUNCTION_SETTINGS, functionName, type BackendFunction, type KeyFunctions } from "../contract";
import { startLambdaServer, type InvocationRecord, type LambdaServer, type LambdaServerOptions, type LocalFunctionConfig } from "./lambdaServer";
import { startMotoServer, type MotoServer } from "./motoServer";
import { startMotoFront } from "./motoFront";
import { AwsCallLog } from "./AwsCallLog";
import { DEFAULT_SECRET_PREFIX } from "../lambdas/backendConfig";
import { bootstrapBackend } from "./bootstrapBackend";
import { bootstrapIam, type IamCredentials, type IamIdentities, type PolicyEdit } from "./bootstrapIam";
import { motoInvokeAuthorizer } from "./motoInvokeAuthorizer";
import { repoRoot } from "../tools/repoRoot";
import { FAILPOINT_FILE_ENV } from "../lambdas/failpoint";

/** Options of {@link startLocalStack}; every port defaults to a free one. */
export interface LocalStackOptions {
  motoPort?: number;
  lambdaPort?: number;
  region?: string;
  /** Functions are named `<functionPrefix>-<operation>`. */
  functionPrefix?: string;
  tableName?: string;
  auditTableName?: string;
  /** Extra environment for every function. */
  functionEnv?: Record<string, string>;
  /**
   * Fault injection: the functions run the test bundles that carry failpoints (dist/failpoints/, never shipped),
   * reading this failpoint file (lambdas/failpoint.ts). Without it they run the bundles the backend deploys.
   */
  failpointFile?: string;
  /** Per-function timeout; defaults to 30 s. */
  timeoutMs?: number;
  /** More functions beside the backend's, such as test doubles. */
  extraFunctions?: Record<string, LocalFunctionConfig>;
  /** Functions whose invocation is refused with AccessDeniedException. */
  accessDenied?: string[];
  /** Directory holding `lambdas/<operation>/index.js` (and `failpoints/<operation>/index.js`); defaults to the repository's dist/. */
  distDir?: string;
  /** Warm workers per function; see {@link LambdaServerOptions.maxWorkersPerFunction}. */
  maxWorkersPerFunction?: number;
  /** See {@link LambdaServerOptions.onInvocation}. */
  onInvocation?: LambdaServerOptions["onInvocation"];
  /**
   * IAM mode: moto authorizes every call against the caller's policies. Each function runs with a session of its
   * own role, holding exactly the backend component's policy document for it (`editPolicy` may change it first),
   * and only the environment the component deploys it with; invocations are authorized too; {@link LocalStack.env}
   * carries a deployer's credentials. Defaults to on when {@link LOCAL_IAM_ENV} is `1`.
   */
  iam?: boolean | { editPolicy?: PolicyEdit };
  /** Record every AWS call the functions make, by invocation, in {@link LocalStack.calls}. Off by default. */
  recordCalls?: boolean;
}

/** Set to `1`, local stacks start in IAM mode unless told otherwise (the jest project `iam` reruns suites so). */
export const LOCAL_IAM_ENV = "APIKEYS_LOCAL_IAM";

/** Whose credentials a client of the local stack uses. */
export type LocalIdentity = "harness" | "deployer";

/** A running local backend: moto for AWS services, our Lambda server for the functions. */
export interface LocalStack {
  region: string;
  tableName: string;
  auditTableName: string;
  kmsKeyId: string;
  functions: Record<BackendFunction, string>;
  /** The functions an ApiKey declaration names. */
  keyFunctions: KeyFunctions;
  moto: MotoServer;
  lambda: LambdaServer;
  /** The environment a shell or a Pulumi run needs to use this stack: the deployer's credentials in IAM mode. */
  env: Record<string, string>;
  /** The AWS calls of each invocation, when started with {@link LocalStackOptions.recordCalls}. */
  calls?: AwsCallLog;
  /** The identities made in IAM mode; absent otherwise. */
  iam?: IamIdentities;
  /**
   * Config for an AWS SDK v3 client of any of the emulated services. In IAM mode the harness may do anything (tests
   * read items and secrets to check them) and the deployer what the README grants a deployer; otherwise both are the
   * same unchecked credentials.
   */
  clientConfig(service: "dynamodb" | "secretsmanager" | "kms" | "sts" | "lambda" | "iam", as?: LocalIdentity): Record<string, unknown>;
  stop(): Promise<void>;
}

const DUMMY_CREDENTIALS: IamCredentials = { accessKeyId: "local", secretAccessKey: "local" };

/** Unchecked credentials of one function: moto ignores them, but the access key id tells its calls apart. */
function functionDummyCredentials(fn: BackendFunction): IamCredentials {
  return { accessKeyId: `local-${fn}`, secretAccessKey: "local" };
}

function credentialEnv(credentials: IamCredentials): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
  };
}

function iamModeOf(options: LocalStackOptions): { editPolicy?: PolicyEdit } | undefined {
  const iam = options.iam ?? process.env[LOCAL_IAM_ENV] === "1";
  if (!iam) return undefined;
  return iam === true ? {} : iam;
}

/** Starts moto and the Lambda server, creates the table and a KMS key, and wires the functions to them. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const region = options.region ?? "us-east-1";
  const prefix = options.functionPrefix ?? DEFAULT_BACKEND_PREFIX;
  const distDir = options.distDir ?? path.join(repoRoot(), "dist");
  const iamMode = iamModeOf(options);
  const moto = await startMotoServer({ port: options.motoPort, iam: iamMode !== undefined });
  // Filled in once the functions' credentials exist; no call reaches the front before.
  const callers = new Map<string, string>();
  const calls = options.recordCalls ? new AwsCallLog((accessKeyId) => callers.get(accessKeyId)) : undefined;
  // Every client of the stack goes through the front: it serializes DynamoDB writes and sees every call.
  const front = await startMotoFront(moto.url, { onCall: calls?.addCall });
  const endpoints = {
    AWS_ENDPOINT_URL_DYNAMODB: front.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: front.url,
    AWS_ENDPOINT_URL_KMS: front.url,
    AWS_ENDPOINT_URL_STS: front.url,
    AWS_ENDPOINT_URL_IAM: front.url,
  };
  const regionEnv = { AWS_REGION: region, AWS_DEFAULT_REGION: region };
  const bootstrapClient = { region, endpoint: moto.url, credentials: DUMMY_CREDENTIALS };
  let lambda: LambdaServer | undefined;
  try {
    const backend = await bootstrapBackend(bootstrapClient, options.tableName ?? DEFAULT_TABLE_NAME, options.auditTableName ?? DEFAULT_AUDIT_TABLE_NAME);
    const { tableName, auditTableName, kmsKeyId, accountId } = backend;
    const iam = iamMode
      ? await bootstrapIam(bootstrapClient, { region, functionPrefix: prefix, secretPrefix: DEFAULT_SECRET_PREFIX, ...backend }, iamMode.editPolicy)
      : undefined;
    if (iam) await moto.enforceIam();
    const harness = iam?.harness.credentials ?? DUMMY_CREDENTIALS;
    const deployer = iam?.deployer.credentials ?? DUMMY_CREDENTIALS;
    const backendEnv: Record<BackendEnv, string | undefined> = {
      [BackendEnv.TABLE_NAME]: tableName,
      [BackendEnv.AUDIT_TABLE_NAME]: auditTableName,
      [BackendEnv.KMS_KEY_ID]: kmsKeyId,
      [BackendEnv.SECRET_PREFIX]: DEFAULT_SECRET_PREFIX,
      [BackendEnv.ROTATION_FUNCTION_ARN]: undefined,
      [BackendEnv.LAST_USED_INTERVAL_SECONDS]: undefined,
      [BackendEnv.ROUTE_SCOPES]: undefined,
      [BackendEnv.SERVICE_NAME]: prefix,
    };
    // In IAM mode a function gets what the backend component deploys it with: its own role, only its variables.
    const envOf = (fn: BackendFunction): Record<string, string> => {
      const names = iam ? FUNCTION_SETTINGS[fn].env : (Object.keys(backendEnv) as BackendEnv[]);
      const variables = Object.fromEntries(names.flatMap((name) => (backendEnv[name] === undefined ? [] : [[name, backendEnv[name]!]])));
      const failpoints: Record<string, string> = options.failpointFile ? { [FAILPOINT_FILE_ENV]: options.failpointFile } : {};
      return { ...regionEnv, ...endpoints, ...credentialEnv(credentialsOf(fn)), ...variables, ...failpoints, ...options.functionEnv };
    };
    const credentialsOf = (fn: BackendFunction): IamCredentials => iam?.functions[fn].credentials ?? functionDummyCredentials(fn);
    const bundleDir = path.join(distDir, options.failpointFile ? "failpoints" : "lambdas");
    const functions = Object.fromEntries(BACKEND_FUNCTIONS.map((fn) => [fn, functionName(prefix, fn)])) as LocalStack["functions"];
    for (const fn of BACKEND_FUNCTIONS) callers.set(credentialsOf(fn).accessKeyId, functions[fn]);
    const onInvocation = calls
      ? (record: InvocationRecord) => {
          calls.addInvocation(record);
          options.onInvocation?.(record);
        }
      : options.onInvocation;
    lambda = await startLambdaServer({
      port: options.lambdaPort,
      region,
      accountId,
      maxWorkersPerFunction: options.maxWorkersPerFunction,
      onInvocation,
      accessDenied: options.accessDenied,
      authorize: iam ? motoInvokeAuthorizer(moto.url) : undefined,
      functions: {
        ...Object.fromEntries(
          BACKEND_FUNCTIONS.map((fn) => [functions[fn], { bundle: path.join(bundleDir, fn, "index.js"), env: envOf(fn), timeoutMs: options.timeoutMs ?? 30_000 }]),
        ),
        ...options.extraFunctions,
      },
    });
    const lambdaServer = lambda;
    const serviceEndpoint = (service: string): string => (service === "lambda" ? lambdaServer.url : front.url);
    return {
      region,
      tableName,
      auditTableName,
      kmsKeyId,
      functions,
      keyFunctions: { create: functions.create, read: functions.read, update: functions.update, delete: functions.delete },
      moto,
      lambda,
      iam,
      calls,
      env: { ...regionEnv, ...credentialEnv(deployer), ...endpoints, AWS_ENDPOINT_URL_LAMBDA: lambda.url },
      clientConfig: (service, as = "harness") => ({ region, endpoint: serviceEndpoint(service), credentials: as === "deployer" ? deployer : harness }),
      stop: async () => {
        await lambdaServer.stop();
        await front.stop();
        await moto.stop();
      },
    };
  } catch (error) {
    await lambda?.stop();
    await front.stop();
    await moto.stop();
    throw error;
  }
}

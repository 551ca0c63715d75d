import path from "node:path";
import { BACKEND_FUNCTIONS, BackendEnv, DEFAULT_AUDIT_TABLE_NAME, DEFAULT_BACKEND_PREFIX, DEFAULT_TABLE_NAME, functionName, type BackendFunction, type KeyFunctions } from "../contract";
import { startLambdaServer, type LambdaServer, type LambdaServerOptions, type LocalFunctionConfig } from "./lambdaServer";
import { startMotoServer, type MotoServer } from "./motoServer";
import { startDynamoWriteSerializer } from "./dynamoWriteSerializer";
import { DEFAULT_SECRET_PREFIX } from "../lambdas/backendConfig";
import { bootstrapBackend } from "./bootstrapBackend";
import { repoRoot } from "../tools/repoRoot";

/** Options of {@link startLocalStack}; every port defaults to a free one. */
export interface LocalStackOptions {
  motoPort?: number;
  lambdaPort?: number;
  region?: string;
  /** Functions are named `<functionPrefix>-<operation>`. */
  functionPrefix?: string;
  tableName?: string;
  auditTableName?: string;
  /** Extra environment for every function (for example a failpoint in fault-injection tests). */
  functionEnv?: Record<string, string>;
  /** Per-function timeout; defaults to 30 s. */
  timeoutMs?: number;
  /** More functions beside the backend's, such as test doubles. */
  extraFunctions?: Record<string, LocalFunctionConfig>;
  /** Functions whose invocation is refused with AccessDeniedException. */
  accessDenied?: string[];
  /** Directory holding `lambdas/<operation>/index.js`; defaults to the repository's dist/. */
  distDir?: string;
  /** Warm workers per function; see {@link LambdaServerOptions.maxWorkersPerFunction}. */
  maxWorkersPerFunction?: number;
  /** See {@link LambdaServerOptions.onInvocation}. */
  onInvocation?: LambdaServerOptions["onInvocation"];
}

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
  /** The environment a shell or a Pulumi run needs to use this stack. */
  env: Record<string, string>;
  /** Config for an AWS SDK v3 client of any of the emulated services. */
  clientConfig(service: "dynamodb" | "secretsmanager" | "kms" | "sts" | "lambda"): Record<string, unknown>;
  stop(): Promise<void>;
}

const DUMMY_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/** Starts moto and the Lambda server, creates the table and a KMS key, and wires the functions to them. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const region = options.region ?? "us-east-1";
  const prefix = options.functionPrefix ?? DEFAULT_BACKEND_PREFIX;
  const distDir = options.distDir ?? path.join(repoRoot(), "dist");
  const moto = await startMotoServer({ port: options.motoPort });
  const dynamo = await startDynamoWriteSerializer(moto.url);
  const awsEnv = {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.url,
    AWS_ENDPOINT_URL_KMS: moto.url,
    AWS_ENDPOINT_URL_STS: moto.url,
  };
  const motoClient = { region, endpoint: moto.url, credentials: DUMMY_CREDENTIALS };
  let lambda: LambdaServer | undefined;
  try {
    const { tableName, auditTableName, kmsKeyId } = await bootstrapBackend(
      motoClient,
      options.tableName ?? DEFAULT_TABLE_NAME,
      options.auditTableName ?? DEFAULT_AUDIT_TABLE_NAME,
    );
    const functionEnv = {
      ...awsEnv,
      [BackendEnv.TABLE_NAME]: tableName,
      [BackendEnv.AUDIT_TABLE_NAME]: auditTableName,
      [BackendEnv.KMS_KEY_ID]: kmsKeyId,
      [BackendEnv.SECRET_PREFIX]: DEFAULT_SECRET_PREFIX,
      ...options.functionEnv,
    };
    const functions = Object.fromEntries(BACKEND_FUNCTIONS.map((fn) => [fn, functionName(prefix, fn)])) as LocalStack["functions"];
    lambda = await startLambdaServer({
      port: options.lambdaPort,
      region,
      maxWorkersPerFunction: options.maxWorkersPerFunction,
      onInvocation: options.onInvocation,
      accessDenied: options.accessDenied,
      functions: {
        ...Object.fromEntries(
          BACKEND_FUNCTIONS.map((fn) => [functions[fn], { bundle: path.join(distDir, "lambdas", fn, "index.js"), env: functionEnv, timeoutMs: options.timeoutMs ?? 30_000 }]),
        ),
        ...options.extraFunctions,
      },
    });
    const lambdaServer = lambda;
    return {
      region,
      tableName,
      auditTableName,
      kmsKeyId,
      functions,
      keyFunctions: { create: functions.create, read: functions.read, update: functions.update, delete: functions.delete },
      moto,
      lambda,
      env: { ...awsEnv, AWS_ENDPOINT_URL_LAMBDA: lambda.url },
      clientConfig: (service) => ({ ...motoClient, endpoint: { lambda: lambdaServer.url, dynamodb: dynamo.url }[service as string] ?? moto.url }),
      stop: async () => {
        await lambdaServer.stop();
        await dynamo.stop();
        await moto.stop();
      },
    };
  } catch (error) {
    await lambda?.stop();
    await dynamo.stop();
    await moto.stop();
    throw error;
  }
}

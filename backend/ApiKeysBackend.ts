import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import path from "node:path";
import { BACKEND_FUNCTIONS, BackendEnv, DEFAULT_BACKEND_PREFIX, FUNCTION_SETTINGS, ValidationError, functionName, routeScopesRule, type BackendFunction, type KeyFunctions, type RouteScopes } from "../contract";
import { AuthorizedDemoApi } from "./AuthorizedDemoApi";
import { bundlePath } from "./bundlePath";
import { functionPolicy } from "./functionPolicy";
import { keyPolicy } from "./keyPolicy";
import { lambdaRuntime } from "./lambdaRuntime";
import { auditTableArgs, keyTableArgs } from "./tableArgs";

/** Arguments of {@link ApiKeysBackend}. */
export interface ApiKeysBackendArgs {
  /**
   * Names everything: tables `<prefix>` and `<prefix>-audit`, functions and roles `<prefix>-<function>`, secrets
   * `<prefix>/<keyId>`, key alias `alias/<prefix>`. With the default "apikeys" these are the names the provider and
   * the Lambdas assume when nothing is configured.
   */
  prefix?: string;
  /** Directory of the bundles, `<bundleDir>/<function>/index.js`; defaults to the ones shipped in this package. */
  bundleDir?: string;
  /** CloudWatch retention of every function's logs; defaults to 90 days. */
  logRetentionDays?: number;
  /** Also deploy an example HTTP API (`GET /whoami`) behind the key authorizer; defaults to false. */
  demoApi?: boolean;
  /**
   * Scopes a key must hold per route, for the authorizer: `{ "GET /orders/{id}": ["orders:read"] }`, matched against
   * the event's routeKey (HTTP API) or `<httpMethod> <resource>` (REST API); a route not listed requires none.
   */
  routeScopes?: RouteScopes;
}

/** The bundles this package ships: dist/lambdas/<function>/index.js, beside this module's dist/backend/. */
export const SHIPPED_BUNDLE_DIR = path.resolve(__dirname, "..", "lambdas");

/** What {@link ApiKeysBackendArgs} defaults to. */
export const BACKEND_DEFAULTS: Required<ApiKeysBackendArgs> = { prefix: DEFAULT_BACKEND_PREFIX, bundleDir: SHIPPED_BUNDLE_DIR, logRetentionDays: 90, demoApi: false, routeScopes: {} };

// Rotation comes first: create and update are configured with its ARN.
const CREATION_ORDER: readonly BackendFunction[] = ["rotation", "create", "read", "update", "delete", "verify"];

function perFunction<T>(make: (fn: BackendFunction) => T): Record<BackendFunction, T> {
  return Object.fromEntries(BACKEND_FUNCTIONS.map((fn) => [fn, make(fn)])) as Record<BackendFunction, T>;
}

/**
 * The apikeys backend on AWS: the key and audit tables, the KMS key that encrypts both and every secret, one Lambda
 * per handler with a role that can do exactly what its code does, and an example HTTP API behind the key authorizer.
 */
export class ApiKeysBackend extends pulumi.ComponentResource {
  readonly region: pulumi.Output<string>;
  readonly kmsKey: aws.kms.Key;
  readonly keyTable: aws.dynamodb.Table;
  readonly auditTable: aws.dynamodb.Table;
  readonly roles: Record<BackendFunction, aws.iam.Role>;
  readonly logGroups: Record<BackendFunction, aws.cloudwatch.LogGroup>;
  readonly rolePolicies: Record<BackendFunction, aws.iam.RolePolicy>;
  readonly functions: Record<BackendFunction, aws.lambda.Function>;
  /** The example API, when `demoApi` is set. */
  readonly demoApi?: AuthorizedDemoApi;
  /** The functions an ApiKey declaration names. */
  readonly keyFunctions: pulumi.Output<KeyFunctions>;

  constructor(name: string, options: ApiKeysBackendArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("apikeys:backend:ApiKeysBackend", name, {}, opts);
    const args = { ...BACKEND_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) };
    const child = { parent: this };
    // Before any resource: a missing build must stop the program, not deploy half a backend.
    const bundles = perFunction((fn) => bundlePath(args.bundleDir, fn));
    const routes = routeScopesRule(args.routeScopes);
    if ("reason" in routes) throw new ValidationError("routeScopes", routes.reason);

    const partition = aws.getPartitionOutput({}, child).partition;
    this.region = aws.getRegionOutput({}, child).region;
    const accountId = aws.getCallerIdentityOutput({}, child).accountId;
    const secretPrefix = `${args.prefix}/`;
    const secretArnPattern = pulumi.interpolate`arn:${partition}:secretsmanager:${this.region}:${accountId}:secret:${secretPrefix}*`;

    // Roles come first and without permissions: the key policy names them, and their policies name the key.
    this.roles = perFunction(
      (fn) =>
        new aws.iam.Role(`${name}-${fn}`, { name: functionName(args.prefix, fn), description: `apikeys ${fn} function`, assumeRolePolicy: lambdaRuntime.assumeRolePolicy }, child),
    );
    const secretUsers = [this.roles.create.arn, this.roles.update.arn, this.roles.rotation.arn];
    this.kmsKey = new aws.kms.Key(
      `${name}-key`,
      {
        description: `apikeys (${args.prefix}): encrypts the key tables and every key's secret`,
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        // The longest window: deleting this key makes every table and secret it protects unreadable.
        deletionWindowInDays: 30,
        policy: pulumi
          .all([partition, this.region, accountId, secretArnPattern, ...secretUsers])
          .apply(([partitionName, region, account, pattern, ...roleArns]) =>
            JSON.stringify(keyPolicy({ partition: partitionName, region, accountId: account, secretUserRoleArns: roleArns, secretArnPattern: pattern })),
          ),
      },
      child,
    );
    new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${args.prefix}`, targetKeyId: this.kmsKey.keyId }, child);

    this.keyTable = new aws.dynamodb.Table(`${name}-keys`, keyTableArgs(args.prefix, this.kmsKey.arn), child);
    this.auditTable = new aws.dynamodb.Table(`${name}-audit`, auditTableArgs(`${args.prefix}-audit`, this.kmsKey.arn), child);
    // Made here rather than by Lambda on first use, so retention is set and the roles need no logs:CreateLogGroup.
    this.logGroups = perFunction(
      (fn) => new aws.cloudwatch.LogGroup(`${name}-${fn}`, { name: `/aws/lambda/${functionName(args.prefix, fn)}`, retentionInDays: args.logRetentionDays }, child),
    );

    const functions: Partial<Record<BackendFunction, aws.lambda.Function>> = {};
    const rolePolicies: Partial<Record<BackendFunction, aws.iam.RolePolicy>> = {};
    for (const fn of CREATION_ORDER) {
      const rotationFunctionArn = fn === "rotation" ? undefined : functions.rotation!.arn;
      const policy = new aws.iam.RolePolicy(
        `${name}-${fn}`,
        {
          role: this.roles[fn].id,
          policy: pulumi
            .output({
              region: this.region,
              keyTableArn: this.keyTable.arn,
              auditTableArn: this.auditTable.arn,
              kmsKeyArn: this.kmsKey.arn,
              secretArnPattern,
              rotationFunctionArn,
              logGroupArn: this.logGroups[fn].arn,
            })
            .apply((resources) => JSON.stringify(functionPolicy(fn, resources))),
        },
        child,
      );
      const env: Record<BackendEnv, pulumi.Input<string> | undefined> = {
        [BackendEnv.TABLE_NAME]: this.keyTable.name,
        [BackendEnv.AUDIT_TABLE_NAME]: this.auditTable.name,
        [BackendEnv.SECRET_PREFIX]: secretPrefix,
        [BackendEnv.KMS_KEY_ID]: this.kmsKey.arn,
        [BackendEnv.ROTATION_FUNCTION_ARN]: rotationFunctionArn,
        // No function is configured with it: the default interval is the deployed behaviour.
        [BackendEnv.LAST_USED_INTERVAL_SECONDS]: undefined,
        [BackendEnv.ROUTE_SCOPES]: JSON.stringify(routes.value),
        [BackendEnv.SERVICE_NAME]: args.prefix,
      };
      const settings = FUNCTION_SETTINGS[fn];
      rolePolicies[fn] = policy;
      functions[fn] = new aws.lambda.Function(
        `${name}-${fn}`,
        {
          name: functionName(args.prefix, fn),
          description: settings.description,
          role: this.roles[fn].arn,
          ...lambdaRuntime.settings,
          code: new pulumi.asset.FileArchive(bundles[fn]),
          memorySize: settings.memoryMb,
          timeout: settings.timeoutSeconds,
          environment: { variables: Object.fromEntries(settings.env.map((variable) => [variable, env[variable]!])) },
          loggingConfig: { logFormat: "Text", logGroup: this.logGroups[fn].name },
        },
        // The first invocation (often a key of the same `pulumi up`) must find the permissions in place.
        { parent: this, dependsOn: [policy] },
      );
    }
    this.functions = functions as Record<BackendFunction, aws.lambda.Function>;
    this.rolePolicies = rolePolicies as Record<BackendFunction, aws.iam.RolePolicy>;

    // Secrets Manager invokes the rotation function on each key's schedule; only for our secrets in this account.
    new aws.lambda.Permission(
      `${name}-rotation-by-secretsmanager`,
      {
        action: "lambda:InvokeFunction",
        function: this.functions.rotation.name,
        principal: "secretsmanager.amazonaws.com",
        sourceAccount: accountId,
        sourceArn: secretArnPattern,
      },
      child,
    );

    if (args.demoApi) {
      this.demoApi = new AuthorizedDemoApi(
        `${name}-demo`,
        { name: `${args.prefix}-demo`, verifyFunction: this.functions.verify, logRetentionDays: args.logRetentionDays },
        child,
      );
    }
    const { create, read, update, delete: remove } = this.functions;
    this.keyFunctions = pulumi.output({ create: create.name, read: read.name, update: update.name, delete: remove.name });
    this.registerOutputs({ keyTableName: this.keyTable.name, auditTableName: this.auditTable.name, keyFunctions: this.keyFunctions });
  }
}

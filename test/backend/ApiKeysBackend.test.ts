import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AUDIT_TABLE_SCHEMA, TABLE_SCHEMA } from "../../contract";
import { MOCK_ACCOUNT, MOCK_REGION, useAwsMocks, valueOf } from "../support/awsMocks";

// Mocks go in before the program's modules load, as Pulumi requires.
const registered = useAwsMocks();
import { ApiKeysBackend } from "../../backend/ApiKeysBackend";
import { BACKEND_FUNCTIONS, type BackendFunction } from "../../contract";
import type { PolicyDocument, PolicyStatement } from "../../backend/PolicyDocument";

const BUNDLES = path.join(__dirname, "../../dist/lambdas");
const WHERE = `${MOCK_REGION}:${MOCK_ACCOUNT}`;
const KEY_TABLE = `arn:aws:dynamodb:${WHERE}:table/apikeys`;
const AUDIT_TABLE = `arn:aws:dynamodb:${WHERE}:table/apikeys-audit`;
const KMS_KEY = `arn:aws:kms:${WHERE}:key/mock-apikeys-key`;
const SECRETS = `arn:aws:secretsmanager:${WHERE}:secret:apikeys/*`;
const ROTATION_FUNCTION = `arn:aws:lambda:${WHERE}:function:apikeys-rotation`;
const ROOT = `arn:aws:iam::${MOCK_ACCOUNT}:root`;
const role = (fn: string) => `arn:aws:iam::${MOCK_ACCOUNT}:role/apikeys-${fn}`;

let backend: ApiKeysBackend;

beforeAll(async () => {
  backend = new ApiKeysBackend("apikeys", { prefix: "apikeys", bundleDir: BUNDLES, logRetentionDays: 30, demoApi: true });
  // Everything is registered once the last-made resources resolved.
  await Promise.all([valueOf(backend.demoApi!.url), ...BACKEND_FUNCTIONS.map((fn) => valueOf(backend.rolePolicies[fn].policy))]);
});

function inputsOf(type: string, name: string): Record<string, any> {
  const found = registered.find((resource) => resource.type === type && resource.name === name);
  if (!found) throw new Error(`no ${type} named ${name} was registered`);
  return found.inputs;
}

async function policyOf(fn: BackendFunction): Promise<PolicyDocument> {
  return JSON.parse(await valueOf(backend.rolePolicies[fn].policy));
}

const logs = (fn: string): PolicyStatement => ({
  Sid: "WriteOwnLogs",
  Effect: "Allow",
  Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
  Resource: `arn:aws:logs:${WHERE}:log-group:/aws/lambda/apikeys-${fn}:*`,
});
const keyTable = (...actions: string[]): PolicyStatement => ({ Sid: "KeyTable", Effect: "Allow", Action: actions.map((a) => `dynamodb:${a}`), Resource: KEY_TABLE });
const auditTrail: PolicyStatement = { Sid: "AuditTrail", Effect: "Allow", Action: ["dynamodb:PutItem"], Resource: AUDIT_TABLE };
const tableEncryption: PolicyStatement = {
  Sid: "TableEncryption",
  Effect: "Allow",
  Action: ["kms:Decrypt"],
  Resource: KMS_KEY,
  Condition: { StringEquals: { "kms:ViaService": `dynamodb.${MOCK_REGION}.amazonaws.com` } },
};
const secrets = (...actions: string[]): PolicyStatement => ({ Sid: "KeySecrets", Effect: "Allow", Action: actions.map((a) => `secretsmanager:${a}`), Resource: SECRETS });
const secretEncryption: PolicyStatement = {
  Sid: "SecretEncryption",
  Effect: "Allow",
  Action: ["kms:GenerateDataKey", "kms:Decrypt"],
  Resource: KMS_KEY,
  Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${MOCK_REGION}.amazonaws.com` }, StringLike: { "kms:EncryptionContext:SecretARN": SECRETS } },
};
const scheduleRotation: PolicyStatement = { Sid: "ScheduleRotation", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: ROTATION_FUNCTION };

const EXPECTED_STATEMENTS: Record<BackendFunction, PolicyStatement[]> = {
  create: [
    logs("create"),
    keyTable("GetItem", "PutItem", "UpdateItem", "DeleteItem"),
    auditTrail,
    tableEncryption,
    secrets("CreateSecret", "TagResource", "DescribeSecret", "GetSecretValue", "DeleteSecret", "RotateSecret"),
    secretEncryption,
    scheduleRotation,
  ],
  read: [logs("read"), keyTable("GetItem"), tableEncryption],
  update: [
    logs("update"),
    keyTable("GetItem", "PutItem", "UpdateItem", "DeleteItem"),
    auditTrail,
    tableEncryption,
    secrets("DescribeSecret", "GetSecretValue", "PutSecretValue", "UpdateSecretVersionStage", "RotateSecret", "CancelRotateSecret"),
    secretEncryption,
    scheduleRotation,
  ],
  delete: [logs("delete"), keyTable("GetItem", "PutItem", "UpdateItem", "DeleteItem"), auditTrail, tableEncryption, secrets("DescribeSecret", "DeleteSecret")],
  verify: [logs("verify"), keyTable("GetItem", "UpdateItem"), tableEncryption],
  rotation: [
    logs("rotation"),
    keyTable("GetItem", "PutItem", "UpdateItem", "DeleteItem"),
    auditTrail,
    tableEncryption,
    secrets("DescribeSecret", "GetSecretValue", "PutSecretValue", "UpdateSecretVersionStage"),
    secretEncryption,
  ],
};

/** Every policy document the program registers: role policies, trust policies and the key policy. */
function allPolicies(): { owner: string; document: PolicyDocument }[] {
  const documents = registered.flatMap(({ type, name, inputs }) => {
    if (type === "aws:iam/rolePolicy:RolePolicy") return [{ owner: name, document: JSON.parse(inputs.policy) }];
    if (type === "aws:iam/role:Role") return [{ owner: `${name} trust`, document: JSON.parse(inputs.assumeRolePolicy) }];
    if (type === "aws:kms/key:Key") return [{ owner: name, document: JSON.parse(inputs.policy) }];
    return [];
  });
  return documents;
}

describe("ApiKeysBackend tables", () => {
  it("builds the key table from TABLE_SCHEMA: on demand, point-in-time recovery, deletion protection, encrypted with our key", () => {
    expect(inputsOf("aws:dynamodb/table:Table", "apikeys-keys")).toEqual({
      name: "apikeys",
      billingMode: TABLE_SCHEMA.billingMode,
      hashKey: TABLE_SCHEMA.partitionKey.name,
      attributes: [{ name: "pk", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: true,
      serverSideEncryption: { enabled: true, kmsKeyArn: KMS_KEY },
    });
  });

  it("builds the audit table from AUDIT_TABLE_SCHEMA with its byDay index, protected the same way", () => {
    expect(inputsOf("aws:dynamodb/table:Table", "apikeys-audit")).toEqual({
      name: "apikeys-audit",
      billingMode: AUDIT_TABLE_SCHEMA.billingMode,
      hashKey: "keyId",
      rangeKey: "sk",
      attributes: [
        { name: "keyId", type: "S" },
        { name: "sk", type: "S" },
        { name: "day", type: "S" },
      ],
      globalSecondaryIndexes: [
        {
          name: "byDay",
          keySchemas: [
            { attributeName: "day", keyType: "HASH" },
            { attributeName: "sk", keyType: "RANGE" },
          ],
          projectionType: "ALL",
        },
      ],
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: true,
      serverSideEncryption: { enabled: true, kmsKeyArn: KMS_KEY },
    });
  });
});

describe("ApiKeysBackend KMS key", () => {
  it("is a customer managed key with automatic rotation and the longest deletion window, with an alias", () => {
    expect(inputsOf("aws:kms/key:Key", "apikeys-key")).toMatchObject({ enableKeyRotation: true, rotationPeriodInDays: 365, deletionWindowInDays: 30 });
    expect(inputsOf("aws:kms/alias:Alias", "apikeys-key-alias")).toEqual({ name: "alias/apikeys", targetKeyId: "mock-apikeys-key" });
  });

  it("names the account root for administration only, and the create, update and rotation roles for our secrets", () => {
    const policy: PolicyDocument = JSON.parse(inputsOf("aws:kms/key:Key", "apikeys-key").policy);
    const [admin, tables, secretUse] = policy.Statement;
    expect(policy.Statement).toHaveLength(3);
    expect(admin).toMatchObject({ Sid: "KeyAdministration", Principal: { AWS: ROOT }, Resource: "*" });
    expect(admin.Action).toEqual(expect.arrayContaining(["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:EnableKeyRotation", "kms:CreateAlias"]));
    for (const cryptographic of ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom"]) expect(admin.Action).not.toContain(cryptographic);
    expect(tables).toEqual({
      Sid: "TablesThroughDynamoDB",
      Effect: "Allow",
      Principal: { AWS: ROOT },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey", "kms:CreateGrant"],
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": `dynamodb.${MOCK_REGION}.amazonaws.com`, "kms:CallerAccount": MOCK_ACCOUNT } },
    });
    expect(secretUse).toEqual({
      Sid: "SecretsThroughSecretsManager",
      Effect: "Allow",
      Principal: { AWS: [role("create"), role("update"), role("rotation")] },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${MOCK_REGION}.amazonaws.com` }, StringLike: { "kms:EncryptionContext:SecretARN": SECRETS } },
    });
  });
});

describe("ApiKeysBackend function roles", () => {
  it.each(BACKEND_FUNCTIONS)("grant the %s function exactly the calls its code makes", async (fn) => {
    expect(await policyOf(fn)).toEqual({ Version: "2012-10-17", Statement: EXPECTED_STATEMENTS[fn] });
  });

  it("give verify nothing on Secrets Manager and nothing on the audit table", async () => {
    const actions = (await policyOf("verify")).Statement.flatMap((statement) => statement.Action);
    expect(actions.filter((action) => action.startsWith("secretsmanager:"))).toEqual([]);
    expect(JSON.stringify(await policyOf("verify"))).not.toContain("apikeys-audit");
  });

  it("are one per function, assumable by Lambda only", () => {
    for (const fn of BACKEND_FUNCTIONS) {
      const { name, assumeRolePolicy } = inputsOf("aws:iam/role:Role", `apikeys-${fn}`);
      expect(name).toBe(`apikeys-${fn}`);
      expect(JSON.parse(assumeRolePolicy).Statement).toEqual([{ Sid: "LambdaAssumesRole", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    }
  });

  it('use no "*" action anywhere, and no "*" resource except in the key policy, where AWS requires it', () => {
    const policies = allPolicies();
    expect(policies.length).toBe(2 * BACKEND_FUNCTIONS.length + 2 /* demo role and policy */ + 1 /* key */);
    for (const { owner, document } of policies) {
      for (const statement of document.Statement) {
        const actions = ([] as string[]).concat(statement.Action);
        expect({ owner, wildcardActions: actions.filter((action) => action.includes("*")) }).toEqual({ owner, wildcardActions: [] });
        if (statement.Resource === undefined) continue; // trust policies name no resource
        const resources = ([] as string[]).concat(statement.Resource);
        const allowed = owner === "apikeys-key" ? ["*"] : [];
        for (const resource of resources) {
          // Wildcards only as suffixes that stay inside our own secrets and our own log streams.
          const scoped = resource === SECRETS || /^arn:aws:logs:[^*]+:log-group:\/aws\/lambda\/apikeys-[a-z]+:\*$/.test(resource) || !resource.includes("*");
          expect({ owner, resource, ok: allowed.includes(resource) || scoped }).toEqual({ owner, resource, ok: true });
        }
      }
    }
  });
});

describe("ApiKeysBackend functions", () => {
  it.each(BACKEND_FUNCTIONS)("run %s on nodejs24.x and arm64 from its bundle under dist/lambdas", async (fn) => {
    const inputs = inputsOf("aws:lambda/function:Function", `apikeys-${fn}`);
    expect(inputs).toMatchObject({ name: `apikeys-${fn}`, runtime: "nodejs24.x", architectures: ["arm64"], handler: "index.handler", role: role(fn) });
    const bundle = path.join(BUNDLES, fn);
    // The engine gets the code as a file archive of the bundle's directory.
    expect(await inputs.code.path).toBe(bundle);
    expect(fs.statSync(path.join(bundle, "index.js")).size).toBeGreaterThan(0);
  });

  it("get only the environment their code reads", () => {
    const env = (fn: string) => inputsOf("aws:lambda/function:Function", `apikeys-${fn}`).environment.variables;
    const tables = { APIKEYS_TABLE_NAME: "apikeys", APIKEYS_AUDIT_TABLE_NAME: "apikeys-audit" };
    expect(env("create")).toEqual({ ...tables, APIKEYS_SECRET_PREFIX: "apikeys/", APIKEYS_KMS_KEY_ID: KMS_KEY, APIKEYS_ROTATION_FUNCTION_ARN: ROTATION_FUNCTION });
    expect(env("update")).toEqual({ ...tables, APIKEYS_ROTATION_FUNCTION_ARN: ROTATION_FUNCTION });
    expect(env("delete")).toEqual({ ...tables, APIKEYS_SECRET_PREFIX: "apikeys/" });
    expect(env("rotation")).toEqual(tables);
    expect(env("read")).toEqual({ APIKEYS_TABLE_NAME: "apikeys" });
    expect(env("verify")).toEqual({ APIKEYS_TABLE_NAME: "apikeys", APIKEYS_ROUTE_SCOPES: "{}", POWERTOOLS_SERVICE_NAME: "apikeys" });
  });

  it("log to a log group of their own, with the configured retention", () => {
    for (const fn of BACKEND_FUNCTIONS) {
      expect(inputsOf("aws:cloudwatch/logGroup:LogGroup", `apikeys-${fn}`)).toEqual({ name: `/aws/lambda/apikeys-${fn}`, retentionInDays: 30 });
      expect(inputsOf("aws:lambda/function:Function", `apikeys-${fn}`).loggingConfig).toEqual({ logFormat: "Text", logGroup: `/aws/lambda/apikeys-${fn}` });
    }
  });

  it("let Secrets Manager invoke the rotation function, for our secrets in this account only", () => {
    expect(inputsOf("aws:lambda/permission:Permission", "apikeys-rotation-by-secretsmanager")).toEqual({
      action: "lambda:InvokeFunction",
      function: "apikeys-rotation",
      principal: "secretsmanager.amazonaws.com",
      sourceAccount: MOCK_ACCOUNT,
      sourceArn: SECRETS,
    });
  });

  it("refuse to deploy without the bundles, naming the build command", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-no-bundles-"));
    try {
      expect(() => new ApiKeysBackend("unbuilt", { prefix: "unbuilt", bundleDir: empty, logRetentionDays: 30 })).toThrow(/bundle .*create.*index\.js does not exist; reinstall the package \(or, in its repository, run "npm run build"\)/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
    expect(registered.some((resource) => resource.name.startsWith("unbuilt-"))).toBe(false);
  });
});

describe("ApiKeysBackend defaults", () => {
  it("deploy no demo API unless asked, and name everything after the default prefix", async () => {
    const plain = new ApiKeysBackend("plain", { bundleDir: BUNDLES });
    await valueOf(plain.functions.verify.arn);
    expect(plain.demoApi).toBeUndefined();
    expect(registered.filter((resource) => resource.name.startsWith("plain-demo"))).toEqual([]);
    expect(inputsOf("aws:lambda/function:Function", "plain-verify")).toMatchObject({ name: "apikeys-verify", timeout: 10 });
    expect(inputsOf("aws:cloudwatch/logGroup:LogGroup", "plain-verify")).toMatchObject({ retentionInDays: 90 });
  });
});

describe("ApiKeysBackend routeScopes", () => {
  it("hands the route map to the verify function's configuration, and to no other function", async () => {
    const routeScopes = { "GET /orders/{id}": ["orders:read"], $default: ["*"] };
    const routed = new ApiKeysBackend("routed", { prefix: "routed", bundleDir: BUNDLES, routeScopes });
    await valueOf(routed.functions.verify.arn);
    expect(JSON.parse(inputsOf("aws:lambda/function:Function", "routed-verify").environment.variables.APIKEYS_ROUTE_SCOPES)).toEqual(routeScopes);
    expect(inputsOf("aws:lambda/function:Function", "routed-read").environment.variables).not.toHaveProperty("APIKEYS_ROUTE_SCOPES");
  });

  it.each([
    ["a route without a method", { "/orders": ["orders:read"] }, /route "\/orders" must be "METHOD \/path"/],
    ["scopes that are not a list", { "GET /orders": "orders:read" }, /must map to at most 50 scopes/],
    ["a scope with a space", { "GET /orders": ["orders read"] }, /must map to at most 50 scopes/],
  ])("refuses %s before creating anything, naming routeScopes", (_what, routeScopes, reason) => {
    expect(() => new ApiKeysBackend("misrouted", { prefix: "misrouted", bundleDir: BUNDLES, routeScopes: routeScopes as never })).toThrow(expect.objectContaining({ property: "routeScopes", message: expect.stringMatching(reason) }));
    expect(registered.some((resource) => resource.name.startsWith("misrouted-"))).toBe(false);
  });
});

describe("ApiKeysBackend demo API", () => {
  it("puts verify in front of the route as a REQUEST authorizer: payload 2.0, simple responses, x-api-key, no caching", () => {
    expect(inputsOf("aws:apigatewayv2/authorizer:Authorizer", "apikeys-demo-authorizer")).toEqual({
      apiId: "apikeys-demo-api-id",
      name: "apikeys-verify",
      authorizerType: "REQUEST",
      authorizerUri: `arn:aws:apigateway:${MOCK_REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${WHERE}:function:apikeys-verify/invocations`,
      authorizerPayloadFormatVersion: "2.0",
      enableSimpleResponses: true,
      identitySources: ["$request.header.x-api-key"],
      authorizerResultTtlInSeconds: 0,
    });
    expect(inputsOf("aws:apigatewayv2/route:Route", "apikeys-demo-route")).toEqual({
      apiId: "apikeys-demo-api-id",
      routeKey: "GET /whoami",
      authorizationType: "CUSTOM",
      authorizerId: "apikeys-demo-authorizer-id",
      target: "integrations/apikeys-demo-integration-id",
    });
  });

  it("lets API Gateway invoke verify as this authorizer only, and the demo function for this route only", () => {
    expect(inputsOf("aws:lambda/permission:Permission", "apikeys-demo-invoke-verify")).toEqual({
      action: "lambda:InvokeFunction",
      function: "apikeys-verify",
      principal: "apigateway.amazonaws.com",
      sourceArn: `arn:aws:execute-api:${WHERE}:mockapi/authorizers/apikeys-demo-authorizer-id`,
    });
    expect(inputsOf("aws:lambda/permission:Permission", "apikeys-demo-invoke-demo")).toMatchObject({
      function: "apikeys-demo",
      sourceArn: `arn:aws:execute-api:${WHERE}:mockapi/*/GET/whoami`,
    });
  });

  it("serves the demo from an inline function on the same runtime, with a logs-only role", async () => {
    expect(inputsOf("aws:lambda/function:Function", "apikeys-demo-function")).toMatchObject({ runtime: "nodejs24.x", architectures: ["arm64"], handler: "index.handler" });
    expect(JSON.parse(inputsOf("aws:iam/rolePolicy:RolePolicy", "apikeys-demo-policy").policy).Statement).toEqual([logs("demo")]);
    expect(await valueOf(backend.demoApi!.url)).toBe(`https://mockapi.execute-api.${MOCK_REGION}.amazonaws.com/whoami`);
  });
});

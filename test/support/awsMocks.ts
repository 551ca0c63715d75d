import * as pulumi from "@pulumi/pulumi";

/** The account the mocked AWS answers with. */
export const MOCK_ACCOUNT = "123456789012";
/** The region the mocked AWS answers with (the partition is "aws"). */
export const MOCK_REGION = "eu-central-1";

/** One resource the program registered, in registration order. */
export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

/** What a mocked resource reports beyond its inputs: the ARNs and ids AWS would assign. */
function computed(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
  const where = `${MOCK_REGION}:${MOCK_ACCOUNT}`;
  switch (type) {
    case "aws:dynamodb/table:Table":
      return { arn: `arn:aws:dynamodb:${where}:table/${inputs.name}` };
    case "aws:kms/key:Key":
      return { arn: `arn:aws:kms:${where}:key/mock-${name}`, keyId: `mock-${name}` };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${inputs.name}` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { arn: `arn:aws:logs:${where}:log-group:${inputs.name}` };
    case "aws:lambda/function:Function": {
      const arn = `arn:aws:lambda:${where}:function:${inputs.name}`;
      return { arn, invokeArn: `arn:aws:apigateway:${MOCK_REGION}:lambda:path/2015-03-31/functions/${arn}/invocations` };
    }
    case "aws:apigatewayv2/api:Api":
      return { executionArn: `arn:aws:execute-api:${where}:mockapi`, apiEndpoint: `https://mockapi.execute-api.${MOCK_REGION}.amazonaws.com` };
    case "pulumi-nodejs:dynamic/apikeys:ApiKey":
      return { keyId: `key_${name}`, maskedKey: "ak_abcd…wxyz", status: inputs.status ?? "active", secretArn: `arn:aws:secretsmanager:${where}:secret:apikeys/key_${name}-AbCdEf` };
    default:
      return {};
  }
}

/** Answers of the AWS data sources the program calls. */
const CALLS: Record<string, Record<string, unknown>> = {
  "aws:index/getPartition:getPartition": { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" },
  "aws:index/getRegion:getRegion": { region: MOCK_REGION, name: MOCK_REGION, id: MOCK_REGION },
  "aws:index/getCallerIdentity:getCallerIdentity": { accountId: MOCK_ACCOUNT, arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/deployer`, userId: "AIDAMOCK", id: MOCK_ACCOUNT },
};

/**
 * Replaces the Pulumi engine and AWS with mocks for the test file (jest gives each file its own module registry):
 * resources report their inputs plus made-up ARNs, data sources answer for one account and region. Returns the
 * registration log.
 */
export function useAwsMocks(config: Record<string, string> = {}): Registered[] {
  const registered: Registered[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: ({ type, name, inputs }) => {
        registered.push({ type, name, inputs });
        const state = { ...inputs, ...computed(type, name, inputs) };
        return { id: (state.keyId as string | undefined) ?? `${name}-id`, state };
      },
      call: ({ token }) => {
        const answer = CALLS[token];
        if (!answer) throw new Error(`unexpected call ${token}`);
        return answer;
      },
    },
    "apikeys-backend",
    "test",
    false,
  );
  pulumi.runtime.setAllConfig(config);
  return registered;
}

/** The value of an output, once the mocked engine resolved it. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

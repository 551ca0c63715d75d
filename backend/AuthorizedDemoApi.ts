import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lambdaRuntime } from "./lambdaRuntime";
import { ownLogsStatement } from "./functionPolicy";
import type { PolicyDocument } from "./PolicyDocument";

/** Arguments of {@link AuthorizedDemoApi}. */
export interface AuthorizedDemoApiArgs {
  /** Names the API, the demo function, its role and log group. */
  name: string;
  /** The verify function, used as the REQUEST authorizer. */
  verifyFunction: aws.lambda.Function;
  logRetentionDays: number;
}

/** The route the demo serves. */
export const DEMO_ROUTE = "GET /whoami";

/** Identity source of the authorizer: API Gateway refuses a request without it (401) before invoking verify. */
export const API_KEY_HEADER = "$request.header.x-api-key";

// Echoes the authorizer's context: what a service behind the authorizer learns about the caller (never the key).
const DEMO_HANDLER = `exports.handler = async (event) => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ authorized: true, caller: event.requestContext.authorizer.lambda }),
});
`;

/**
 * An example HTTP API with the verify function as its Lambda REQUEST authorizer (payload 2.0, simple responses) in
 * front of one route served by a tiny inline function. Copy the authorizer part to put keys in front of a real API.
 */
export class AuthorizedDemoApi extends pulumi.ComponentResource {
  readonly api: aws.apigatewayv2.Api;
  readonly authorizer: aws.apigatewayv2.Authorizer;
  /** `GET` this with an `x-api-key` header. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: AuthorizedDemoApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("apikeys:backend:AuthorizedDemoApi", name, {}, opts);
    const child = { parent: this };

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/aws/lambda/${args.name}`, retentionInDays: args.logRetentionDays }, child);
    const role = new aws.iam.Role(
      `${name}-role`,
      { name: args.name, description: "apikeys demo route: writes its own logs, nothing else", assumeRolePolicy: lambdaRuntime.assumeRolePolicy },
      child,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: logGroup.arn.apply((arn) => JSON.stringify({ Version: "2012-10-17", Statement: [ownLogsStatement(arn)] } satisfies PolicyDocument)),
      },
      child,
    );
    const handler = new aws.lambda.Function(
      `${name}-function`,
      {
        name: args.name,
        description: "apikeys demo: answers with the authorizer's context",
        role: role.arn,
        ...lambdaRuntime.settings,
        code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(DEMO_HANDLER) }),
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
      },
      { parent: this, dependsOn: [policy] },
    );

    this.api = new aws.apigatewayv2.Api(`${name}-api`, { name: args.name, protocolType: "HTTP", description: "apikeys example: a route behind the key authorizer" }, child);
    this.authorizer = new aws.apigatewayv2.Authorizer(
      `${name}-authorizer`,
      {
        apiId: this.api.id,
        name: "apikeys-verify",
        authorizerType: "REQUEST",
        authorizerUri: args.verifyFunction.invokeArn,
        authorizerPayloadFormatVersion: "2.0",
        enableSimpleResponses: true,
        identitySources: [API_KEY_HEADER],
        // No caching: a deactivated or deleted key must be refused by the very next request, as verify promises.
        authorizerResultTtlInSeconds: 0,
      },
      child,
    );
    new aws.lambda.Permission(
      `${name}-invoke-verify`,
      {
        action: "lambda:InvokeFunction",
        function: args.verifyFunction.name,
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${this.api.executionArn}/authorizers/${this.authorizer.id}`,
      },
      child,
    );

    const integration = new aws.apigatewayv2.Integration(
      `${name}-integration`,
      { apiId: this.api.id, integrationType: "AWS_PROXY", integrationUri: handler.arn, integrationMethod: "POST", payloadFormatVersion: "2.0" },
      child,
    );
    new aws.apigatewayv2.Route(
      `${name}-route`,
      {
        apiId: this.api.id,
        routeKey: DEMO_ROUTE,
        authorizationType: "CUSTOM",
        authorizerId: this.authorizer.id,
        target: pulumi.interpolate`integrations/${integration.id}`,
      },
      child,
    );
    new aws.apigatewayv2.Stage(`${name}-stage`, { apiId: this.api.id, name: "$default", autoDeploy: true }, child);
    const [method, routePath] = DEMO_ROUTE.split(" ");
    new aws.lambda.Permission(
      `${name}-invoke-demo`,
      {
        action: "lambda:InvokeFunction",
        function: handler.name,
        principal: "apigateway.amazonaws.com",
        // Any stage of this API, this route only.
        sourceArn: pulumi.interpolate`${this.api.executionArn}/*/${method}${routePath}`,
      },
      child,
    );

    this.url = pulumi.interpolate`${this.api.apiEndpoint}${routePath}`;
    this.registerOutputs({ url: this.url });
  }
}

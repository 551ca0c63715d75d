/** What every function of the backend runs on. */
export const lambdaRuntime = {
  settings: {
    // The current LTS; the bundles target it (scripts/build.js). Graviton costs less per millisecond.
    runtime: "nodejs24.x",
    architectures: ["arm64"],
    handler: "index.handler",
  },
  /** Trust policy of every function role: only the Lambda service may assume it (a trust policy names no resource). */
  assumeRolePolicy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "LambdaAssumesRole", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
  }),
};

/** Jest runs the TypeScript sources directly; bundles under dist/ come from `npm run build`. */
const fs = require("node:fs");
const path = require("node:path");

// A suite that starts the local stack (moto, so Python), the Pulumi CLI (built with Go), or installs the packed
// package is an integration suite; every other suite is a unit suite, run by `npm run test:unit` with neither.
const INTEGRATION = /\b(useLocalStack|startLocalStack|startMotoServer|startLambdaServer|ensureTool|createExampleStack|consumerProject|useProviderHost|startBenchBackend|verifyBench)\b/;

function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith(".test.ts") ? [full] : [];
  });
}
const integration = testFiles(path.join(__dirname, "test")).filter((file) => INTEGRATION.test(fs.readFileSync(file, "utf8")));
// Suites run a second time with every local stack in IAM mode: each function as its own role, the provider and the CLI
// as a deployer, moto's IAM deciding every call (local/localStack.ts, `iam`).
const IAM_SUITES = [
  "test/provider/runtime/protocol.test.ts",
  "test/example/lifecycle.test.ts",
  "test/lambdas/handlers/verify.test.ts",
  "test/lambdas/handlers/rotation.test.ts",
  "test/cli/commands/listKeys.test.ts",
  "test/cli/commands/verifyKey.test.ts",
  "test/cli/commands/setKeyStatus.test.ts",
  "test/cli/commands/auditReport.test.ts",
  "test/cli/commands/driftReport.test.ts",
].map((file) => path.join(__dirname, file));
const escape = (file) => file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const common = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: { "^.+\\.ts$": "ts-jest" },
  // The sources carry their failpoints (lambdas/failpoint.ts); only the deployed bundles are built without.
  globals: { APIKEYS_FAILPOINTS: true },
  // Programs under test (infra/) import the package by name, as its users do: the name resolves to the build in
  // dist/, as package.json `exports` maps it, so the backend component finds the bundles beside it.
  moduleNameMapper: {
    "^pulumi-apikeys$": "<rootDir>/dist/provider/index.js",
    "^pulumi-apikeys/backend$": "<rootDir>/dist/backend/index.js",
    "^pulumi-apikeys/policy$": "<rootDir>/dist/policy/apiKeyPolicies.js",
  },
};

module.exports = {
  testTimeout: 60000,
  reporters: ["default", "<rootDir>/test/support/summaryReporter.js"],
  projects: [
    { ...common, displayName: "unit", testMatch: ["**/*.test.ts"], testPathIgnorePatterns: integration.map(escape) },
    { ...common, displayName: "integration", testMatch: integration.map(escape) },
    { ...common, displayName: "iam", testMatch: IAM_SUITES.map(escape), setupFiles: ["<rootDir>/test/support/iamMode.ts"] },
  ],
};

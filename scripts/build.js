#!/usr/bin/env node
// Builds the package into dist/: the library with its declarations (tsc), then with esbuild one bundle per Lambda
// function, the `apikeys` bin, and the repository's own tools (local stack, example runner, benchmarks).
const path = require("node:path");
const fs = require("node:fs");
const { execFileSync } = require("node:child_process");
const esbuild = require("esbuild");

const root = path.resolve(__dirname, "..");
const dist = path.join(root, "dist");
// No bundle carries the failpoints (lambdas/failpoint.ts) but the test copies of the Lambdas under dist/failpoints/.
const common = { bundle: true, platform: "node", format: "cjs", logLevel: "warning", legalComments: "none", define: { APIKEYS_FAILPOINTS: "false" } };
// The Lambda runtime ships the AWS SDK v3, and the package depends on the clients it uses: bundles leave both out.
const sdkExternal = ["@aws-sdk/*", "@smithy/*"];
// What the Lambdas run on (backend/lambdaRuntime.ts: nodejs24.x); everything a user runs supports our Node floor.
const LAMBDA_TARGET = "node24";
const NODE_FLOOR_TARGET = "node20";

function buildLibrary() {
  // A stale file of a module that no longer exists must not ship.
  for (const dir of ["contract", "provider", "manifest", "backend", "policy"]) fs.rmSync(path.join(dist, dir), { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
}

/** How the bundle of Lambda function `name` is built; the bundle benchmark builds variants of verify with it. */
function lambdaBuildOptions(name, outfile, failpoints = false) {
  return {
    ...common,
    define: { APIKEYS_FAILPOINTS: String(failpoints) },
    target: LAMBDA_TARGET,
    entryPoints: [path.join(root, "lambdas/handlers", `${name}.ts`)],
    outfile,
    external: sdkExternal,
    minify: true,
    sourcemap: "linked",
  };
}

async function main() {
  buildLibrary();
  // The function list is the contract's, as compiled just now: the bundles are exactly the backend's functions.
  const { BACKEND_FUNCTIONS } = require(path.join(dist, "contract/backendFunctions.js"));
  fs.rmSync(path.join(dist, "lambdas"), { recursive: true, force: true });
  fs.rmSync(path.join(dist, "failpoints"), { recursive: true, force: true });
  // Each function twice: as the backend deploys it (dist/lambdas, shipped), and with its failpoints for the
  // fault-injection suites (dist/failpoints, not shipped).
  const lambdaBundles = [
    ["lambdas", "false"],
    ["failpoints", "true"],
  ].flatMap(([dir, failpoints]) =>
    BACKEND_FUNCTIONS.map((name) => esbuild.build(lambdaBuildOptions(name, path.join(dist, dir, name, "index.js"), failpoints === "true"))),
  );
  await Promise.all([
    ...lambdaBundles,
    // The `apikeys` bin: the SDK clients are dependencies and @pulumi/pulumi a peer, installed next to it.
    esbuild.build({
      ...common,
      target: NODE_FLOOR_TARGET,
      entryPoints: [path.join(root, "cli/main.ts")],
      outfile: path.join(dist, "cli/apikeys.js"),
      external: [...sdkExternal, "@pulumi/*"],
      banner: { js: "#!/usr/bin/env node" },
    }),
    // Repository tools: not shipped (package.json `files`).
    ...[
      ["local/localStackCli.ts", "local/localStackCli.js"],
      ["scripts/runExample.ts", "scripts/runExample.js"],
      ["bench/runBench.ts", "bench/runBench.js"],
    ].map(([entry, out]) =>
      // esbuild stays a package: the bundle benchmark builds variants of the Lambdas with it.
      esbuild.build({ ...common, target: NODE_FLOOR_TARGET, entryPoints: [path.join(root, entry)], outfile: path.join(dist, out), external: [...sdkExternal, "esbuild"] }),
    ),
    // The policy-running language host: its gRPC stubs stay in node_modules, shared with @pulumi/pulumi's own.
    esbuild.build({
      ...common,
      target: NODE_FLOOR_TARGET,
      entryPoints: [path.join(root, "tools/languageHostWithPolicies.ts")],
      outfile: path.join(dist, "tools/languageHostWithPolicies.js"),
      external: [...sdkExternal, "@pulumi/*", "@grpc/*", "google-protobuf"],
    }),
  ]);
}

module.exports = { lambdaBuildOptions };

if (require.main === module) {
  main().catch((error) => {
    console.error(`build failed: ${error.message}`);
    process.exit(1);
  });
}

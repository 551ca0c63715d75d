#!/usr/bin/env node
// Bundles the Lambda handlers, the local Lambda worker and the provider runtime with esbuild.
const path = require("node:path");
const fs = require("node:fs");
const esbuild = require("esbuild");

const root = path.resolve(__dirname, "..");
// Node 20 runs the tests and the local stack; AWS runs nodejs22.x: code for node20 runs on both.
const common = { bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning", legalComments: "none" };
// The Lambda runtime ships the AWS SDK v3, so bundles leave it out.
const sdkExternal = ["@aws-sdk/*", "@smithy/*"];

/** The handler entry points: one bundle per Lambda function. */
const HANDLERS = ["create", "read", "update", "delete", "verify", "rotation"];

async function main() {
  await Promise.all([
    ...HANDLERS.map((name) =>
      esbuild.build({
        ...common,
        entryPoints: [path.join(root, "lambdas/handlers", `${name}.ts`)],
        outfile: path.join(root, "dist/lambdas", name, "index.js"),
        external: sdkExternal,
        minify: true,
        sourcemap: "linked",
      }),
    ),
    ...["lambdaWorker", "localStackCli", "runExample"].map((name) =>
      esbuild.build({
        ...common,
        entryPoints: [path.join(root, "local", `${name}.ts`)],
        outfile: path.join(root, "dist/local", `${name}.js`),
        external: sdkExternal,
      }),
    ),
    esbuild.build({
      ...common,
      entryPoints: [path.join(root, "bench/runBench.ts")],
      outfile: path.join(root, "dist/bench/runBench.js"),
      external: sdkExternal,
    }),
    // The `apikeys` bin: the SDK and @pulumi/pulumi are dependencies, installed next to it, so they stay external.
    esbuild.build({
      ...common,
      entryPoints: [path.join(root, "cli/main.ts")],
      outfile: path.join(root, "dist/cli/apikeys.js"),
      external: [...sdkExternal, "@pulumi/*"],
      banner: { js: "#!/usr/bin/env node" },
    }),
    // The serialized provider is `require("@apikeys/provider-runtime")`, so the runtime must resolve under that
    // package name from the program's node_modules (as it does when installed from the registry).
    esbuild.build({
      ...common,
      entryPoints: [path.join(root, "provider/runtime/index.ts")],
      outfile: path.join(root, "node_modules/@apikeys/provider-runtime/index.js"),
      external: sdkExternal,
    }),
  ]);
  const runtimePackage = { name: "@apikeys/provider-runtime", version: require(path.join(root, "package.json")).version, main: "index.js", private: true };
  fs.writeFileSync(path.join(root, "node_modules/@apikeys/provider-runtime/package.json"), JSON.stringify(runtimePackage, null, 2) + "\n");
}

main().catch((error) => {
  console.error(`build failed: ${error.message}`);
  process.exit(1);
});

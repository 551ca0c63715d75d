import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SERIALIZED_PROVIDER } from "../../provider/serializedProvider";
import { consumerProject, type ConsumerProject } from "../../tools/consumerProject";
import { ensureTool } from "../../tools/ensureTool";
import { pulumiEnv } from "../../tools/pulumiEnv";
import { useLeakScan } from "../support/leakScan";
import { runProcess, type ProcessResult } from "../support/runProcess";
import { useLocalStack } from "../support/useLocalStack";

// A platform team's own project: the package packed, installed from its tarball into a project outside the
// repository, and driven with the real Pulumi CLI against the local stack, on our Node.js floor and on the active LTS.
jest.setTimeout(600_000);

const FIXTURE = path.join(__dirname, "../fixtures/consumer");
const API_KEY = "pulumi-nodejs:dynamic/apikeys:ApiKey";
const DEV = require("../../package.json").devDependencies;

interface Runtime {
  label: string;
  /** Directory of the `node` the CLI's language host and provider host run; undefined: this process's. */
  nodeBin?: () => string;
  pulumiVersion: string;
}

const RUNTIMES: Runtime[] = [
  { label: `Node.js ${process.versions.node.split(".")[0]} with the lowest supported @pulumi/pulumi`, pulumiVersion: DEV["@pulumi/pulumi"] },
  // Pinned: the newest release when this was written; bump it with the README.
  { label: "Node.js 24 with the latest @pulumi/pulumi", nodeBin: () => ensureTool("node"), pulumiVersion: "3.276.0" },
];

/** npm in `cwd`. */
async function npm(cwd: string, args: string[]): Promise<void> {
  const { code, stderr } = await runProcess("npm", args, { cwd });
  if (code !== 0) throw new Error(`npm ${args.join(" ")} exited ${code}: ${stderr}`);
}

/** The tarball as a later release: another version, and code that differs (a comment in the provider runtime). */
function repack(tarball: string, dir: string, version: string): string {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", dir]);
  const manifest = path.join(dir, "package", "package.json");
  fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifest, "utf8")), version }, null, 2));
  fs.appendFileSync(path.join(dir, "package", "dist/provider/runtime/index.js"), `\n// release ${version}\n`);
  const out = path.join(dir, `pulumi-apikeys-${version}.tgz`);
  execFileSync("tar", ["-czf", out, "-C", dir, "package"]);
  return out;
}

describe.each(RUNTIMES)("a project that installed the packed package, on $label", (runtime) => {
  const aws = useLocalStack();
  const scan = useLeakScan(aws);
  let project: ConsumerProject;
  let env: Record<string, string>;
  let scratch: string;
  // The project directory is shared by the runs that installed the same tarball: a stack of this run's own, whose
  // config file is removed afterwards, keeps one run's config out of the next.
  const stackName = `consumer${process.pid}${Date.now().toString(36)}`;
  let engineOutput = "";

  /** The CLI as the user runs it, in the project's directory; asynchronous, as the Lambdas run in this process. */
  async function pulumi(args: string[], cwd = project.dir): Promise<ProcessResult> {
    const run = await runProcess("pulumi", [...args, "--non-interactive"], { cwd, env });
    engineOutput += run.stdout + run.stderr;
    return run;
  }


  async function succeeds(args: string[]): Promise<string> {
    const run = await pulumi(args);
    if (run.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
    return run.stdout;
  }

  async function state(): Promise<{ text: string; keys: { urn: string; id: string; inputs: Record<string, any>; outputs: Record<string, any> }[] }> {
    const text = await succeeds(["stack", "export"]);
    const resources = JSON.parse(text).deployment.resources ?? [];
    return { text, keys: resources.filter((resource: { type: string }) => resource.type === API_KEY) };
  }

  beforeAll(async () => {
    project = consumerProject({
      pulumiVersion: runtime.pulumiVersion,
      programDir: FIXTURE,
      dependencies: { "@pulumi/aws": DEV["@pulumi/aws"], "@pulumi/policy": DEV["@pulumi/policy"] },
    });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-consumer-state-"));
    const base = pulumiEnv(ensureTool("pulumi"), scratch);
    const nodeBin = runtime.nodeBin?.();
    env = { ...base, ...aws.stack.env, PULUMI_STACK: stackName, ...(nodeBin ? { PATH: `${nodeBin}${path.delimiter}${base.PATH}` } : {}) };
    await succeeds(["stack", "init", stackName]);
  });

  afterAll(async () => {
    if (project) fs.rmSync(path.join(project.dir, `Pulumi.${stackName}.yaml`), { force: true });
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("runs its program on the Node.js and @pulumi/pulumi it installed", async () => {
    const installed = JSON.parse(fs.readFileSync(path.join(project.dir, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;
    expect(installed).toBe(runtime.pulumiVersion);
    const node = (await runProcess("node", ["--version"], { env })).stdout.trim();
    expect(node).toBe(runtime.nodeBin ? "v24.22.3" : `v${process.versions.node}`);
  });

  it("creates a key declared in code and one from its keys.yaml, storing the package's subpath as the provider", async () => {
    await succeeds(["up", "--yes"]);
    const { keys, text } = await state();
    expect(keys.map((key) => key.urn.split("::").pop()).sort()).toEqual(["billing-service", "partner-x"]);
    for (const key of keys) {
      expect(key.outputs.__provider).toBe(SERIALIZED_PROVIDER);
      expect(key.outputs.__provider).toContain('require("pulumi-apikeys/provider-runtime")');
      expect(key.id).toMatch(/^key_/);
    }
    expect(keys.find((key) => key.urn.endsWith("billing-service"))!.outputs.maskedKey).toMatch(/^svc_/);
    await scan.expectAbsent({ state: text, engineOutput });
  });

  it("previews an edited description as `~ description` of that key alone, leaving the other key's outputs known", async () => {
    await succeeds(["config", "set", "partnerDescription", "Partner X read and write API"]);
    const preview = await succeeds(["preview", "--diff"]);
    expect(preview).toMatch(/~ description\s*: "Partner X read API" => "Partner X read and write API"/);
    expect(preview).toMatch(/~ 1 to update\s+2 unchanged/);
    // An output absent from state would be unknown in every preview, listed as `+ lastUsedAt: [unknown]` and so on.
    const outputs = preview.slice(preview.indexOf("--outputs:--"));
    expect(outputs).not.toContain("billingKey");
  });

  it("applies the edit in place: same keyId, same secret, new description", async () => {
    const before = (await state()).keys.find((key) => key.urn.endsWith("partner-x"))!;
    const plaintext = await aws.plaintextOf(before.outputs.secretArn);
    const up = await succeeds(["up", "--yes"]);
    expect(up).toMatch(/~ 1 updated/);
    const after = (await state()).keys.find((key) => key.urn.endsWith("partner-x"))!;
    expect(after.id).toBe(before.id);
    expect(after.outputs.description).toBe("Partner X read and write API");
    expect((await aws.getRecord(after.id))!.description).toBe("Partner X read and write API");
    expect(await aws.plaintextOf(after.outputs.secretArn)).toBe(plaintext);
  });

  it("refreshes with no change, and a preview afterwards shows nothing to do", async () => {
    await succeeds(["refresh", "--yes"]);
    const run = await pulumi(["preview", "--expect-no-changes"]);
    expect(run.code).toBe(0);
  });

  it("finds the backend component's bundles inside its node_modules, under Pulumi's mocks", async () => {
    const run = await runProcess("node", ["backendMocks.js"], { cwd: project.dir, env });
    expect(run.code).toBe(0);
    const { functions, demoApi } = JSON.parse(run.stdout.trim().split("\n").pop()!);
    const installedBundles = fs.realpathSync(path.join(project.dir, "node_modules/pulumi-apikeys/dist/lambdas"));
    expect(Object.keys(functions).sort()).toEqual(["apikeys-create", "apikeys-delete", "apikeys-read", "apikeys-rotation", "apikeys-update", "apikeys-verify"]);
    for (const [name, fn] of Object.entries<{ runtime: string; code: string }>(functions)) {
      expect(fn.runtime).toBe("nodejs24.x");
      expect(fn.code).toBe(path.join(installedBundles, name.replace("apikeys-", "")));
      expect(fs.existsSync(path.join(fn.code, "index.js"))).toBe(true);
    }
    expect(demoApi).toBe(false);
  });

  it.each([
    ["node", "commonjs"],
    ["node16", "node16"],
    ["bundler", "esnext"],
  ])("resolves the types of every entry point under moduleResolution %s", async (moduleResolution, module) => {
    const tsc = path.join(project.dir, "node_modules", ".bin", "tsc");
    const args = ["--noEmit", "--strict", "--skipLibCheck", "--esModuleInterop", "--types", "node", "--moduleResolution", moduleResolution, "--module", module, "types.ts"];
    const run = await runProcess(tsc, args, { cwd: project.dir, env });
    expect(run.stdout + run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  it("loads the policy pack from the package's policy directory, and its policies by name", () => {
    const pack = path.join(project.dir, "node_modules/pulumi-apikeys/policy");
    expect(fs.readFileSync(path.join(pack, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    expect(fs.existsSync(require.resolve(pack))).toBe(true);
    const { apiKeyPolicies } = require(path.join(project.dir, "node_modules/pulumi-apikeys/dist/policy/apiKeyPolicies.js"));
    expect(apiKeyPolicies().map((policy: { name: string }) => policy.name)).toContain("apikey-owner-required");
  });

  it("shows no change after an upgrade of the package, and names the package when it is gone", async () => {
    // A copy of the project on the same stack, with a newer release of the package: another version, other code.
    const copy = path.join(scratch, "project-copy");
    fs.cpSync(project.dir, copy, { recursive: true, verbatimSymlinks: true });
    const upgraded = repack(project.tarball, path.join(scratch, "upgrade"), "99.0.0");
    await npm(copy, ["install", "--no-save", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", upgraded]);
    expect(JSON.parse(fs.readFileSync(path.join(copy, "node_modules/pulumi-apikeys/package.json"), "utf8")).version).toBe("99.0.0");
    const preview = await pulumi(["preview", "--expect-no-changes"], copy);
    expect(preview.code).toBe(0);

    // Without the package, the provider host cannot load the provider stored in state: the error says what to install.
    fs.rmSync(path.join(copy, "node_modules/pulumi-apikeys"), { recursive: true, force: true });
    const destroy = await pulumi(["destroy", "--yes"], copy);
    expect(destroy.code).not.toBe(0);
    expect(destroy.stdout + destroy.stderr).toContain("ApiKey resources need the npm package pulumi-apikeys in this Pulumi project: npm install pulumi-apikeys");
    expect((await state()).keys).toHaveLength(2);
  });

  it("destroys both keys: state is empty and the backend keeps only tombstones", async () => {
    const { keys } = await state();
    await scan.collect();
    await succeeds(["destroy", "--yes"]);
    expect((await state()).keys).toEqual([]);
    for (const key of keys) expect((await aws.getRecord(key.id))!.status).toBe("deleted");
    await scan.expectAbsent({ engineOutput });
  });
});

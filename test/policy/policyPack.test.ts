import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureTool } from "../../tools/ensureTool";
import { consumerProject, type ConsumerProject } from "../../tools/consumerProject";
import { policyLanguageHostDir } from "../../tools/policyLanguageHostDir";
import { repoRoot } from "../../tools/repoRoot";
import { createExampleStack, type ExampleStack } from "../support/pulumiStack";

// The policy pack as a user runs it: `pulumi preview --policy-pack node_modules/pulumi-apikeys/policy` with the real
// engine, which starts the pack through the Node.js language host and sends it every resource of the preview.
jest.setTimeout(300_000);

const DAY = 86_400_000;
const inDays = (days: number): string => new Date(Date.now() + days * DAY).toISOString();

/** Keys that pass every policy under policy/config.json (a svc key needs no rate limit there). */
const CLEAN = {
  "partner-x": { name: "Swaggy M", description: "Partner X read API", owner: "partnerships", expiresAt: inDays(200), rateLimit: { limit: 100, window: "1s" } },
  "billing-service": { name: "Billing service", description: "Billing to orders", owner: "billing", prefix: "svc", rotation: { automaticallyAfterDays: 90 } },
};

let project: ConsumerProject;
let example: ExampleStack;
let packDir: string;
let output = "";
const packVersion = require(path.join(repoRoot(), "policy", "package.json")).version;

beforeAll(async () => {
  const devPolicy = require(path.join(repoRoot(), "package.json")).devDependencies["@pulumi/policy"];
  // The pack needs @pulumi/policy, an optional peer a user installs to run it.
  project = consumerProject({ dependencies: { "@pulumi/policy": devPolicy } });
  packDir = path.join(project.dir, "node_modules", "pulumi-apikeys", "policy");
  // A preview invokes nothing: no backend, only a region for the declarations.
  example = await createExampleStack({ env: { AWS_REGION: "us-east-1" } }, { project, pulumiBinDir: policyLanguageHostDir(ensureTool("pulumi")) });
});

afterAll(async () => {
  await example?.remove();
});

const REPOSITORY_CONFIG = path.join(repoRoot(), "policy", "config.json");

async function previewWithPack(keys: Record<string, Record<string, unknown>>, config = REPOSITORY_CONFIG): Promise<{ ok: boolean; text: string }> {
  example.declare(keys);
  output = "";
  const streams = { onOutput: (text: string) => (output += text), onError: (text: string) => (output += text) };
  const run = example.stack.preview({ ...streams, policyPacks: [packDir], policyPackConfigs: [config] });
  return run.then(
    () => ({ ok: true, text: output }),
    (error: Error) => ({ ok: false, text: `${output}\n${error.message}` }),
  );
}

/** The engine's report of the policy packs, once (the failure's message repeats the whole output). */
function policiesReport(text: string): string {
  const start = text.indexOf("Policies:");
  return start < 0 ? "" : text.slice(start, text.indexOf("Diagnostics:", start));
}

describe("the policy pack in the real engine", () => {
  it("passes a keys file that meets every policy", async () => {
    const { ok, text } = await previewWithPack(CLEAN);
    expect(text).toMatch(new RegExp(`✅ apikeys@v${packVersion.replace(/\./g, "\\.")} \\(local: `));
    expect(text).not.toMatch(/mandatory|advisory/i);
    expect(ok).toBe(true);
  });

  it("reports a key without a rate limit as advisory, and the preview still passes", async () => {
    const { ok, text } = await previewWithPack({ ...CLEAN, unlimited: { name: "Unlimited", description: "No limit", owner: "partnerships", expiresAt: inDays(30) } });
    expect(ok).toBe(true);
    expect(text).toMatch(/\[advisory\]\s+apikey-rate-limit-required\s+\(pulumi-nodejs:dynamic\/apikeys:ApiKey: unlimited\)/);
    expect(text).toContain('API key "unlimited" has no rateLimit');
    expect(policiesReport(text).match(/- \[(advisory|mandatory)\]/g)).toHaveLength(1);
  });

  it("fails the preview for a key without a rate limit once the pack's config makes that policy mandatory", async () => {
    const repository = JSON.parse(fs.readFileSync(REPOSITORY_CONFIG, "utf8"));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-policy-config-"));
    const config = path.join(dir, "config.json");
    const policy = repository["apikey-rate-limit-required"];
    fs.writeFileSync(config, JSON.stringify({ ...repository, "apikey-rate-limit-required": { ...policy, enforcementLevel: "mandatory" } }));
    try {
      const { ok, text } = await previewWithPack({ ...CLEAN, unlimited: { name: "Unlimited", description: "No limit", owner: "partnerships", expiresAt: inDays(30) } }, config);
      expect(ok).toBe(false);
      expect(text).toMatch(/\[mandatory\]\s+apikey-rate-limit-required\s+\(pulumi-nodejs:dynamic\/apikeys:ApiKey: unlimited\)/);
      // The exemption still holds: the svc key of CLEAN needs no limit.
      expect(policiesReport(text).match(/- \[(advisory|mandatory)\]/g)).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails the preview for a key without an owner and one with a prefix not on the list, naming each policy and key", async () => {
    const { ok, text } = await previewWithPack({
      ...CLEAN,
      "no-owner": { name: "Nobody", description: "No owner", expiresAt: inDays(30) },
      "odd-prefix": { name: "Odd", description: "Odd prefix", owner: "billing", prefix: "zz", expiresAt: inDays(30) },
    });
    expect(ok).toBe(false);
    expect(text).toContain("error: preview failed");
    expect(text).toMatch(/\[mandatory\]\s+apikey-owner-required\s+\(pulumi-nodejs:dynamic\/apikeys:ApiKey: no-owner\)/);
    expect(text).toMatch(/\[mandatory\]\s+apikey-allowed-prefix\s+\(pulumi-nodejs:dynamic\/apikeys:ApiKey: odd-prefix\)/);
    expect(text).toContain('API key "odd-prefix" uses the prefix "zz", which is not allowed (allowed: "ak", "svc").');
    // Only those two: the clean keys pass in the same run.
    expect(policiesReport(text).match(/- \[mandatory\]/g)).toHaveLength(2);
  });

  it("fails a key with neither an expiry within the maximum age nor a schedule", async () => {
    const { ok, text } = await previewWithPack({ ...CLEAN, forever: { name: "Forever", description: "Never expires", owner: "billing", expiresAt: inDays(900) } });
    expect(ok).toBe(false);
    expect(text).toMatch(/\[mandatory\]\s+apikey-expiry-or-rotation\s+\(pulumi-nodejs:dynamic\/apikeys:ApiKey: forever\)/);
    expect(policiesReport(text).match(/- \[mandatory\]/g)).toHaveLength(1);
  });
});

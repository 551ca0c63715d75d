import fs from "node:fs";
import path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";

const ROOT = path.join(__dirname, "../..");
const WORKFLOWS = path.join(ROOT, ".github/workflows");

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  "working-directory"?: string;
  with?: Record<string, unknown>;
}

function read(file: string): string {
  return fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
}

function stepsOf(file: string, job: string): Step[] {
  return parse(read(file)).jobs[job].steps;
}

function pulumiStep(file: string, job: string): Step {
  const step = stepsOf(file, job).find((candidate) => candidate.uses?.startsWith("pulumi/actions@"));
  if (!step) throw new Error(`${file} has no pulumi/actions step`);
  return step;
}

/** The commands run before the Pulumi step, in order. */
function commandsBeforePulumi(file: string, job: string): string[] {
  const steps = stepsOf(file, job);
  pulumiStep(file, job);
  // Each parse makes new objects: find the step in this parse's list, not by identity with another's.
  const index = steps.findIndex((step) => step.uses?.startsWith("pulumi/actions@"));
  return steps.slice(0, index).flatMap((step) => (step.run ? [step.run] : []));
}

describe("the GitHub workflows", () => {
  it.each(["preview.yml", "up.yml"])("%s is valid against the workflow schema", (file) => {
    expect(validateWorkflow(read(file)).errors).toEqual([]);
  });

  it("are all covered here", () => {
    expect(fs.readdirSync(WORKFLOWS).sort()).toEqual(["preview.yml", "up.yml"]);
  });

  it("the validator refuses a broken workflow, so a passing check means something", () => {
    const misspelledSteps = "on: pull_request\njobs:\n  preview:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: npm ci\n";
    const noJobs = "name: Preview keys\non:\n  pull_request:\n    branches: main\n";
    const badTrigger = "on:\n  pull_requests: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n";
    for (const broken of [misspelledSteps, noJobs, badTrigger]) expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });

  it("preview.yml runs on pull requests: npm ci, build, then pulumi preview --diff under the policy pack, posted as a comment", () => {
    const workflow = parse(read("preview.yml"));
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(workflow.permissions).toMatchObject({ "pull-requests": "write", "id-token": "write" });
    expect(commandsBeforePulumi("preview.yml", "preview").slice(0, 3)).toEqual(["npm ci", "npm run build", "npm install --no-audit --no-fund"]);
    expect(stepsOf("preview.yml", "preview").find((step) => step.run?.startsWith("npm install"))!["working-directory"]).toBe("infra");
    expect(pulumiStep("preview.yml", "preview").with).toMatchObject({
      command: "preview",
      "work-dir": "infra",
      diff: true,
      "comment-on-pr": true,
      policyPacks: "${{ github.workspace }}/policy",
      policyPackConfigs: "${{ github.workspace }}/policy/config.json",
    });
  });

  it("up.yml runs on pushes to main: npm ci, build, then pulumi up under the same policy pack, never cancelled half way", () => {
    const workflow = parse(read("up.yml"));
    expect(workflow.on).toEqual({ push: { branches: ["main"] } });
    expect(workflow.concurrency["cancel-in-progress"]).toBe(false);
    expect(commandsBeforePulumi("up.yml", "up")).toEqual(["npm ci", "npm run build", "npm install --no-audit --no-fund"]);
    expect(stepsOf("up.yml", "up").find((step) => step.run?.startsWith("npm install"))!["working-directory"]).toBe("infra");
    const preview = pulumiStep("preview.yml", "preview").with!;
    expect(pulumiStep("up.yml", "up").with).toMatchObject({
      command: "up",
      "work-dir": preview["work-dir"],
      "stack-name": preview["stack-name"],
      policyPacks: preview.policyPacks,
      policyPackConfigs: preview.policyPackConfigs,
    });
  });

  it("up.yml then writes the inventory report of the deployed stack with the installed bin and uploads it, even after a failed update", () => {
    const steps = stepsOf("up.yml", "up");
    const pulumi = steps.findIndex((step) => step.uses?.startsWith("pulumi/actions@"));
    const report = steps.findIndex((step) => step.run?.includes("apikeys report --html"));
    const upload = steps.findIndex((step) => step.uses?.startsWith("actions/upload-artifact@"));
    expect([pulumi < report, report < upload]).toEqual([true, true]);
    expect(steps[report]).toMatchObject({ "working-directory": "infra", if: "${{ !cancelled() }}" });
    expect(steps[report].run).toBe('npx --no-install apikeys report --html --stack "$PULUMI_STACK" --since 30d > inventory.html');
    expect((steps[report] as { env?: Record<string, string> }).env).toMatchObject({ PULUMI_STACK: "${{ vars.PULUMI_STACK }}", PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}" });
    expect(steps[upload]).toMatchObject({ if: "${{ !cancelled() }}", with: { name: "inventory-report", path: "infra/inventory.html", "if-no-files-found": "error" } });
  });

  it("point at a Pulumi project, a policy pack and a policy config that exist", () => {
    expect(parse(fs.readFileSync(path.join(ROOT, "infra/Pulumi.yaml"), "utf8")).name).toBe("apikeys-backend");
    expect(fs.existsSync(path.join(ROOT, "policy/PulumiPolicy.yaml"))).toBe(true);
    expect(() => JSON.parse(fs.readFileSync(path.join(ROOT, "policy/config.json"), "utf8"))).not.toThrow();
  });
});

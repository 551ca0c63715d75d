import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { LocalWorkspace, PulumiCommand, type DestroyResult, type PreviewResult, type RefreshResult, type Stack, type UpResult } from "@pulumi/pulumi/automation";
import yaml from "js-yaml";
import { ensureTool } from "../../tools/ensureTool";
import { pulumiEnv } from "../../tools/pulumiEnv";
import { consumerProject, type ConsumerProject } from "../../tools/consumerProject";
import type { LocalStack } from "../../local/localStack";

/** A stack of the example program in a throwaway file backend, with a keys file the test rewrites. */
export interface ExampleStack {
  /** The project outside the repository that runs the example program with the packed package installed. */
  project: ConsumerProject;
  stack: Stack;
  /** The environment the stack's pulumi commands run with (file backend, passphrase, the local AWS endpoints). */
  env: Record<string, string>;
  up(): Promise<UpResult>;
  preview(): Promise<PreviewResult>;
  refresh(): Promise<RefreshResult>;
  destroy(): Promise<DestroyResult>;
  /** Everything the engine printed so far, for leak assertions. */
  output(): string;
  /** Writes the keys file that the next preview or up reads. */
  declare(keys: Record<string, Record<string, unknown>>): void;
  /** `pulumi stack export` as text. */
  exportState(): Promise<string>;
  remove(): Promise<void>;
}

/**
 * Creates a new stack of the example program with the real Pulumi CLI, wired to a local backend. The program runs in
 * a project of its own outside the repository, with the package installed from its tarball, as a user runs it.
 */
export async function createExampleStack(
  backend: Pick<LocalStack, "env">,
  options: { project?: ConsumerProject; env?: Record<string, string>; /** Holds the `pulumi` to run; defaults to ensure-pulumi's. */ pulumiBinDir?: string } = {},
): Promise<ExampleStack> {
  const project = options.project ?? consumerProject();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-e2e-"));
  const keysFile = path.join(scratch, "keys.yaml");
  const stateDir = path.join(scratch, "state");
  fs.mkdirSync(stateDir);
  const bin = options.pulumiBinDir ?? ensureTool("pulumi");
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(bin), skipVersionCheck: false });
  const envVars = { ...pulumiEnv(bin, stateDir), ...backend.env, APIKEYS_KEYS_FILE: keysFile, ...options.env };
  const stackName = `e2e${process.pid}${Date.now().toString(36)}`;
  const stack = await LocalWorkspace.createStack({ stackName, workDir: project.dir }, { envVars, pulumiCommand });
  let output = "";
  // Engine output and errors both count: the plaintext must reach neither.
  const streams = { onOutput: (text: string) => (output += text), onError: (text: string) => (output += text) };
  return {
    project,
    stack,
    env: envVars,
    up: () => stack.up(streams),
    preview: () => stack.preview({ ...streams, diff: true }),
    refresh: () => stack.refresh(streams),
    destroy: () => stack.destroy(streams),
    output: () => output,
    declare: (keys) => fs.writeFileSync(keysFile, yaml.dump({ keys })),
    exportState: async () => JSON.stringify(await stack.exportStack()),
    remove: async () => {
      await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

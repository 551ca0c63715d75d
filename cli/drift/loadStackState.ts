import type { PulumiCommand } from "@pulumi/pulumi/automation";

/** Reads a stack's exported state (`pulumi stack export`): the deployment, as the Automation API returns it. */
export type StackStateLoader = (stackName: string, cwd: string) => Promise<unknown>;

/** Options of {@link loadStackState}: tests point it at their own backend and CLI. */
export interface LoadStackStateOptions {
  /** Environment for the pulumi CLI, on top of this process's (backend URL, passphrase). */
  envVars?: Record<string, string>;
  pulumiCommand?: PulumiCommand;
}

/** The `error: …` lines the pulumi CLI printed, which say what went wrong better than the whole command dump. */
function pulumiError(error: unknown): string {
  const stderr = (error as { commandResult?: { stderr?: string } }).commandResult?.stderr ?? "";
  const lines = stderr.split("\n").filter((line) => /^error:/.test(line.trim()));
  return lines.length ? lines.map((line) => line.trim()).join("; ") : (error as Error).message;
}

/**
 * Exports a stack's state with the Automation API. The workspace exports by name instead of selecting the stack
 * (`LocalWorkspace.selectStack`), because selecting is remembered: a read-only report must not change which stack
 * the user's next `pulumi up` acts on.
 */
export async function loadStackState(stackName: string, cwd: string, options: LoadStackStateOptions = {}): Promise<unknown> {
  // Lazily loaded: @pulumi/pulumi takes a while to load, and only drift needs it.
  const { LocalWorkspace } = require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
  try {
    const workspace = await LocalWorkspace.create({ workDir: cwd, envVars: options.envVars, pulumiCommand: options.pulumiCommand });
    return await workspace.exportStack(stackName);
  } catch (error) {
    throw new Error(`could not export stack "${stackName}" (in ${cwd}): ${pulumiError(error)}`, { cause: error });
  }
}

/**
 * `npm run local`: runs the local backend (moto + the Lambda server) in the foreground and prints the environment
 * a shell needs to use it. Ctrl-C stops both. With APIKEYS_ENV_FILE set, it also writes `{ pid, env }` there once
 * ready (and removes it on stop), which is how `npm start` finds a backend it left running.
 */
import fs from "node:fs";
import { startLocalStack } from "./localStack";

function port(name: string): number | undefined {
  const value = process.env[name];
  return value ? Number(value) : undefined;
}

async function main(): Promise<void> {
  const stack = await startLocalStack({ motoPort: port("APIKEYS_MOTO_PORT"), lambdaPort: port("APIKEYS_LAMBDA_PORT") });
  const lines = Object.entries(stack.env).map(([name, value]) => `export ${name}=${value}`);
  console.log(
    [
      "# Local apikeys backend is up. In another shell:",
      ...lines,
      `# table ${stack.tableName}; functions ${Object.values(stack.functions).join(", ")}`,
      "# Ctrl-C stops it.",
    ].join("\n"),
  );
  const envFile = process.env.APIKEYS_ENV_FILE;
  if (envFile) fs.writeFileSync(envFile, JSON.stringify({ pid: process.pid, env: stack.env }, null, 2));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping the local backend`);
    await stack.stop();
    if (envFile) fs.rmSync(envFile, { force: true });
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  console.error(`local backend failed to start: ${(error as Error).message}`);
  process.exit(1);
});

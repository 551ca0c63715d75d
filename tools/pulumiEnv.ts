import path from "node:path";

/** The passphrase of local stacks' secrets provider: fixed, because local state holds no secrets worth one. */
export const LOCAL_PASSPHRASE = "apikeys-local";

/** Environment for running the Pulumi CLI against a file backend with no network: no update checks, no plugin downloads. */
export function pulumiEnv(pulumiBin: string, backendDir: string, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    ...(base as Record<string, string>),
    PATH: `${pulumiBin}${path.delimiter}${base.PATH ?? ""}`,
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

/**
 * A Node.js language host that can run policy packs, for the locally built Pulumi CLI: it starts the real
 * `pulumi-language-nodejs` (v3.68.0, see scripts/ensure-pulumi.sh), passes every LanguageRuntime call through to it
 * unchanged, and answers `RunPlugin` for an analyzer itself, which that host refuses ("not supported").
 *
 * The v3.248.0 engine runs a policy pack whose runtime has a language plugin through that plugin's RunPlugin (see
 * NewPolicyAnalyzer in the engine's analyzer_plugin.go): with the pack's directory as the program, the engine's
 * address as the argument, and the plugin's stdout carrying the port the analyzer listens on. Here RunPlugin starts
 * `@pulumi/pulumi/cmd/run-policy-pack <engine> <pack directory>`, as resolved from the pack, which loads the pack
 * and serves @pulumi/policy's Analyzer, and streams its output and exit code back.
 *
 * Run as `node languageHostWithPolicies.js <the real host> <the engine's arguments...>`; tools/policyLanguageHostDir.ts
 * puts a `pulumi-language-nodejs` that does so on PATH.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as grpc from "@grpc/grpc-js";

const languageRpc = require("@pulumi/pulumi/proto/language_grpc_pb");
const languageProto = require("@pulumi/pulumi/proto/language_pb");

type Bytes = Buffer;
const raw = (value: Bytes): Bytes => value;

interface MethodDefinition {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
}

/** Starts the real host with the engine's arguments and resolves with the port it prints first. */
function startRealHost(bin: string, args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let stdout = "";
    const onData = (chunk: Buffer): void => {
      stdout += chunk.toString("utf8");
      const match = /^(\d+)\s*$/m.exec(stdout);
      if (!match) return;
      child.stdout!.off("data", onData);
      child.stdout!.pipe(process.stdout);
      resolve({ child, port: Number(match[1]) });
    };
    child.stdout!.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`${bin} exited with ${code} before printing its port`)));
  });
}

/** A handler that sends the call to the real host as bytes and its answer back unchanged, status and all. */
function passThrough(upstream: grpc.Client, method: MethodDefinition): grpc.UntypedHandleCall {
  if (method.responseStream) {
    return (call: grpc.ServerWritableStream<Bytes, Bytes>) => {
      const stream = upstream.makeServerStreamRequest(method.path, raw, raw, call.request, call.metadata);
      stream.on("data", (chunk: Bytes) => call.write(chunk));
      stream.on("end", () => call.end());
      stream.on("error", (error: grpc.ServiceError) => call.destroy(error));
      call.on("cancelled", () => stream.cancel());
    };
  }
  return (call: grpc.ServerUnaryCall<Bytes, Bytes>, callback: grpc.sendUnaryData<Bytes>) => {
    upstream.makeUnaryRequest(method.path, raw, raw, call.request, call.metadata, (error, answer) => callback(error, answer));
  };
}

/** RunPlugin for an analyzer: run-policy-pack on the pack directory, its output streamed back as the engine reads it. */
function runPolicyPack(upstream: grpc.UntypedHandleCall): grpc.UntypedHandleCall {
  return (call: grpc.ServerWritableStream<Bytes, Bytes>) => {
    const request = languageProto.RunPluginRequest.deserializeBinary(call.request);
    if (request.getKind() !== "analyzer") return (upstream as (call: unknown) => void)(call);
    const packDir: string = request.getInfo().getProgramDirectory();
    const env: Record<string, string> = { ...(process.env as Record<string, string>) };
    for (const entry of request.getEnvList() as string[]) {
      const at = entry.indexOf("=");
      if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
    }
    let entry: string;
    try {
      entry = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    } catch (error) {
      call.destroy(Object.assign(new Error(`the policy pack in ${packDir} cannot resolve @pulumi/pulumi: ${(error as Error).message}`), { code: grpc.status.FAILED_PRECONDITION }));
      return;
    }
    const child = spawn("node", [entry, ...(request.getArgsList() as string[]), packDir], { cwd: packDir, env, stdio: ["ignore", "pipe", "pipe"] });
    const send = (set: (response: unknown) => void): void => {
      const response = new languageProto.RunPluginResponse();
      set(response);
      call.write(Buffer.from(response.serializeBinary()));
    };
    child.stdout!.on("data", (chunk: Buffer) => send((r: any) => r.setStdout(chunk)));
    child.stderr!.on("data", (chunk: Buffer) => send((r: any) => r.setStderr(chunk)));
    child.once("error", (error) => call.destroy(Object.assign(error, { code: grpc.status.INTERNAL })));
    child.once("close", (code) => {
      send((r: any) => r.setExitcode(code ?? 1));
      call.end();
    });
    // The engine cancels the call to stop the analyzer.
    call.on("cancelled", () => child.kill("SIGTERM"));
  };
}

async function main(): Promise<void> {
  const [realHost, ...args] = process.argv.slice(2);
  const { child, port } = await startRealHost(realHost, args);
  const upstream = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const definition: Record<string, MethodDefinition> = languageRpc.LanguageRuntimeService;
  const service: Record<string, grpc.MethodDefinition<Bytes, Bytes>> = {};
  const handlers: grpc.UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    service[name] = { ...method, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw };
    handlers[name] = passThrough(upstream, method);
  }
  handlers.runPlugin = runPolicyPack(handlers.runPlugin);
  const server = new grpc.Server();
  server.addService(service, handlers);
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => {
    if (error) throw error;
    // The engine reads the port from the first line of stdout.
    process.stdout.write(`${bound}\n`);
  });
  const stop = (): void => {
    child.kill("SIGTERM");
    server.forceShutdown();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  child.once("exit", (code) => process.exit(code ?? 0));
}

main().catch((error: Error) => {
  console.error(`language host with policies: ${error.message}`);
  process.exit(1);
});

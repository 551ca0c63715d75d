import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { LocalStack } from "../../local/localStack";
import { SERIALIZED_PROVIDER } from "../../provider/serializedProvider";
import { consumerProject } from "../../tools/consumerProject";

// The generated gRPC stubs ship untyped for require; their .d.ts files describe them.
const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const providerProto = require("@pulumi/pulumi/proto/provider_pb");
const statusProto = require("@pulumi/pulumi/proto/status_pb");

type Props = Record<string, unknown>;

/** The real `@pulumi/pulumi` dynamic-provider host, driven over gRPC as the engine would. */
export interface DynamicProviderHost {
  /** Every response received, as plain objects: for leak assertions. */
  responses: unknown[];
  stderr(): string;
  configure(): Promise<void>;
  check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(urn: string, id: string, olds: Props, news: Props): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[] }>;
  create(urn: string, properties: Props): Promise<{ id: string; properties: Props }>;
  read(urn: string, id: string, properties: Props): Promise<{ id: string; properties: Props }>;
  update(urn: string, id: string, olds: Props, news: Props): Promise<{ properties: Props }>;
  delete(urn: string, id: string, properties: Props): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `node node_modules/@pulumi/pulumi/cmd/dynamic-provider` in `projectDir` (where the engine starts it: the
 * Pulumi project, whose node_modules the serialized provider resolves from) with `env`, reads its port and connects.
 */
export async function startDynamicProviderHost(projectDir: string, env: Record<string, string>): Promise<DynamicProviderHost> {
  const child: ChildProcess = spawn(process.execPath, [path.join(projectDir, "node_modules/@pulumi/pulumi/cmd/dynamic-provider"), "127.0.0.1:1"], {
    cwd: projectDir,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (chunk) => {
      stdout += chunk;
      const match = /^(\d+)\s*$/m.exec(stdout);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`dynamic-provider host exited with ${code}: ${stderr}`)));
  });
  const client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const responses: unknown[] = [];

  function call<T>(method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) =>
      client[method](request, (error: Error | null, response: any) => {
        if (error) return reject(error);
        responses.push(response.toObject());
        resolve(response);
      }),
    );
  }
  const struct = (props: Props) => Struct.fromJavaScript(props as never);

  return {
    responses,
    stderr: () => stderr,
    async configure() {
      const request = new providerProto.ConfigureRequest();
      request.setArgs(struct({}));
      await call("configure", request);
    },
    async check(urn, olds, news) {
      const request = new providerProto.CheckRequest();
      request.setUrn(urn);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      const response: any = await call("check", request);
      return {
        inputs: response.getInputs()?.toJavaScript() ?? {},
        failures: response.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(urn, id, olds, news) {
      const request = new providerProto.DiffRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      const response: any = await call("diff", request);
      const changes = ({ 0: "unknown", 1: "none", 2: "some" } as const)[response.getChanges() as 0 | 1 | 2];
      return { changes, replaces: response.getReplacesList() };
    },
    async create(urn, properties) {
      const request = new providerProto.CreateRequest();
      request.setUrn(urn);
      request.setProperties(struct(properties));
      const response: any = await call("create", request);
      return { id: response.getId(), properties: response.getProperties().toJavaScript() };
    },
    async read(urn, id, properties) {
      const request = new providerProto.ReadRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setProperties(struct(properties));
      const response: any = await call("read", request);
      return { id: response.getId(), properties: response.getProperties()?.toJavaScript() ?? {} };
    },
    async update(urn, id, olds, news) {
      const request = new providerProto.UpdateRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      const response: any = await call("update", request);
      return { properties: response.getProperties().toJavaScript() };
    },
    async delete(urn, id, properties) {
      const request = new providerProto.DeleteRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setProperties(struct(properties));
      await call("delete", request);
    },
    async stop() {
      client.close();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}

/** The init-failure detail the engine reads from a failed Create: the id and properties it records, and why. */
export function initFailureOf(error: unknown): { id: string; properties: Record<string, any>; reasons: string[] } {
  const raw = (error as { metadata: grpc.Metadata }).metadata.get("grpc-status-details-bin")[0] as Buffer;
  const status = statusProto.Status.deserializeBinary(raw);
  const detail = providerProto.ErrorResourceInitFailed.deserializeBinary(status.getDetailsList()[0].getValue());
  return { id: detail.getId(), properties: detail.getProperties().toJavaScript(), reasons: detail.getReasonsList() };
}

/** The host for a suite, started on a local stack's environment, and the provider serialized as dynamic.Resource does. */
export interface ProviderHostFixture {
  host: DynamicProviderHost;
  serializedProvider: string;
  /** An ApiKey declaration wired to the local stack, with `overrides` on top. */
  declaration(overrides?: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Starts the real dynamic-provider host for the suite, in a project with the packed package installed, and stops it
 * afterwards; fields are ready inside tests.
 */
export function useProviderHost(aws: { stack: LocalStack }): ProviderHostFixture {
  const fixture = {} as ProviderHostFixture;
  beforeAll(async () => {
    // Exactly what every ApiKey stores in state.
    fixture.serializedProvider = SERIALIZED_PROVIDER;
    fixture.host = await startDynamicProviderHost(consumerProject().dir, aws.stack.env);
    await fixture.host.configure();
    fixture.declaration = (overrides = {}) => ({
      name: "Declared",
      region: aws.stack.region,
      functions: aws.stack.keyFunctions,
      __provider: fixture.serializedProvider,
      ...overrides,
    });
  });
  afterAll(async () => fixture.host?.stop());
  return fixture;
}

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { PACKAGE_NAME, SERIALIZED_PROVIDER } from "../../provider/serializedProvider";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

const registered: Registered[] = [];

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        // Like the backend, fill the defaults the declaration left out.
        return { id: `key_${args.name}`, state: { status: "active", prefix: "ak", ...args.inputs, keyId: `key_${args.name}`, maskedKey: "ak_abcd…wxyz" } };
      },
      call: () => ({}),
    },
    "apikeys-test",
    "dev",
    false,
  );
  pulumi.runtime.setAllConfig({ "apikeys:region": "eu-central-1", "apikeys:functionPrefix": "team-keys" });
});

async function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply((value) => done(value)));
}

describe("ApiKey", () => {
  it("registers the dynamic resource type with the declared inputs and connection defaults from config", async () => {
    const { ApiKey } = await import("../../provider");
    const key = new ApiKey("partner-x", { name: "Swaggy M", description: "Partner X read API" });
    await resolve(key.keyId);

    const entry = registered.find((r) => r.name === "partner-x")!;
    expect(entry.type).toBe("pulumi-nodejs:dynamic/apikeys:ApiKey");
    const { __provider, ...inputs } = entry.inputs;
    expect(inputs).toEqual({
      name: "Swaggy M",
      description: "Partner X read API",
      auditContext: { project: "apikeys-test", stack: "dev" },
      region: "eu-central-1",
      functions: { create: "team-keys-create", read: "team-keys-read", update: "team-keys-update", delete: "team-keys-delete" },
    });
    expect(__provider).toEqual(expect.any(String));
  });

  it("lets explicit connection inputs win over config", async () => {
    const { ApiKey } = await import("../../provider");
    const functions = { create: "c", read: "r", update: "u", delete: "d" };
    const key = new ApiKey("explicit", { name: "Explicit", status: "inactive", prefix: "pk", region: "us-west-2", functions });
    await resolve(key.keyId);
    const { __provider: _p, ...inputs } = registered.find((r) => r.name === "explicit")!.inputs;
    expect(inputs).toEqual({ name: "Explicit", status: "inactive", prefix: "pk", region: "us-west-2", functions, auditContext: { project: "apikeys-test", stack: "dev" } });
  });

  it("stores the provider as a require of the package's own exported subpath, in at most 300 bytes", async () => {
    const { ApiKey } = await import("../../provider");
    const key = new ApiKey("small", { name: "Small" });
    await resolve(key.keyId);
    const text: string = registered.find((r) => r.name === "small")!.inputs.__provider;
    console.log(`serialized provider: ${Buffer.byteLength(text)} bytes`);
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8"));
    expect(manifest.name).toBe(PACKAGE_NAME);
    expect(manifest.exports["./provider-runtime"]).toBe("./dist/provider/runtime/index.js");
    expect(text).toContain(`require("${manifest.name}/provider-runtime")`);
    expect(text).not.toContain("invokeLambda");
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(300);
  });

  it("tells a project without the package what to install, as the provider host loads the provider", () => {
    // The host loads `__provider` with require-from-string, resolving from its working directory: here, an empty one.
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-no-package-"));
    try {
      const load = `require(${JSON.stringify(require.resolve("require-from-string"))})(${JSON.stringify(SERIALIZED_PROVIDER)}).handler()`;
      const result = spawnSync(process.execPath, ["-e", load], { cwd: empty, encoding: "utf8" });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain("ApiKey resources need the npm package pulumi-apikeys in this Pulumi project: npm install pulumi-apikeys");
      expect(result.stderr).toContain("Cannot find module 'pulumi-apikeys/provider-runtime'");
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it("exposes the backend's outputs on the resource", async () => {
    const { ApiKey } = await import("../../provider");
    const key = new ApiKey("outputs", { name: "Outputs" });
    expect(await resolve(key.keyId)).toBe("key_outputs");
    expect(await resolve(key.maskedKey)).toBe("ak_abcd…wxyz");
  });
});

describe("ApiKey outputs", () => {
  it("exposes defaulted fields even when the declaration omits them", async () => {
    const { ApiKey } = await import("../../provider");
    const key = new ApiKey("sparse", { name: "Sparse" });
    expect(await resolve(key.status)).toBe("active");
    expect(await resolve(key.prefix)).toBe("ak");
  });
});

describe("ApiKey metadata keys that name parts of every object", () => {
  it("would lose an own __proto__ entry on the way to check: Pulumi's serialization drops it", async () => {
    const { ApiKey } = await import("../../provider");
    const metadata = JSON.parse('{"tier":"gold","__proto__":"x"}');
    expect(Object.keys(metadata)).toEqual(["tier", "__proto__"]);
    // Wrapped in an output, the value is not known to the constructor: this is what check would be sent.
    const key = new ApiKey("dropped", { name: "Dropped", metadata: pulumi.output(metadata) });
    await resolve(key.keyId);
    expect(registered.find((r) => r.name === "dropped")!.inputs.metadata).toEqual({ tier: "gold" });
  });

  it.each(["__proto__", "constructor", "prototype"])("refuses %s in known metadata, naming the property and the resource", async (name) => {
    const { ApiKey } = await import("../../provider");
    const metadata = JSON.parse(`{"tier":"gold",${JSON.stringify(name)}:"x"}`);
    const before = registered.length;
    expect(() => new ApiKey(`reserved-${name}`, { name: "Reserved", metadata })).toThrow(
      `metadata: .${name} is a reserved name of JavaScript objects: __proto__, constructor, prototype are not allowed as metadata keys (ApiKey "reserved-${name}")`,
    );
    expect(registered.length).toBe(before);
  });

  it("accepts metadata whose names only contain them", async () => {
    const { ApiKey } = await import("../../provider");
    const key = new ApiKey("near-miss", { name: "Near miss", metadata: { "constructor-id": "x", prototypes: "y" } });
    await resolve(key.keyId);
    expect(registered.find((r) => r.name === "near-miss")!.inputs.metadata).toEqual({ "constructor-id": "x", prototypes: "y" });
  });
});

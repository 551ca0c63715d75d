import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { useAwsMocks, valueOf, MOCK_REGION } from "../support/awsMocks";

// Mocks go in before the program's modules load, as Pulumi requires.
const registered = useAwsMocks();
import { defineStack, type StackOutputs } from "../../infra/defineStack";
import { loadManifest } from "../../manifest";

const KEYS_FILE = path.join(__dirname, "../../infra/keys.yaml");
const API_KEY = "pulumi-nodejs:dynamic/apikeys:ApiKey";
let outputs: StackOutputs;

beforeAll(async () => {
  outputs = defineStack({ prefix: "apikeys", keysFile: KEYS_FILE, logRetentionDays: 90 });
  await Promise.all(Object.values(outputs.keys).map(valueOf));
});

describe("defineStack with its own backend", () => {
  it("declares one key per entry of infra/keys.yaml, against the functions it just created", () => {
    const keys = registered.filter((resource) => resource.type === API_KEY);
    const manifest = loadManifest(KEYS_FILE);
    expect(keys.map((key) => key.name).sort()).toEqual(manifest.entries.map((entry) => entry.id).sort());
    for (const { declaration, id } of manifest.entries) {
      const { __provider, auditContext, ...inputs } = keys.find((key) => key.name === id)!.inputs;
      expect(inputs).toEqual({
        ...declaration,
        region: MOCK_REGION,
        functions: { create: "apikeys-create", read: "apikeys-read", update: "apikeys-update", delete: "apikeys-delete" },
      });
    }
  });

  it("registers the keys only after every resource of the backend, so the first create finds its permissions", () => {
    const firstKey = registered.findIndex((resource) => resource.type === API_KEY);
    const lastBackendResource = registered.map((resource) => resource.type.startsWith("aws:")).lastIndexOf(true);
    expect(firstKey).toBeGreaterThan(lastBackendResource);
  });

  it("exports the table names, the function names and the authorizer's ARN", async () => {
    expect(await valueOf(outputs.keyTableName!)).toBe("apikeys");
    expect(await valueOf(outputs.auditTableName!)).toBe("apikeys-audit");
    expect(await valueOf(outputs.authorizerArn!)).toMatch(/^arn:aws:lambda:.*:function:apikeys-verify$/);
    expect(Object.keys(await valueOf(outputs.functionNames))).toEqual(["rotation", "create", "read", "update", "delete", "verify"]);
    expect(await valueOf(outputs.keys["partner-x"])).toEqual({
      keyId: "key_partner-x",
      maskedKey: "ak_abcd…wxyz",
      status: "active",
      secretArn: expect.stringMatching(/:secret:apikeys\//),
    });
  });

  it("stops on a bad manifest before declaring anything, printing each problem's line", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-bad-manifest-"));
    const keysFile = path.join(dir, "keys.yaml");
    fs.writeFileSync(keysFile, "keys:\n  partner-x:\n    name: Partner\n    status: enabled\n");
    const before = registered.length;
    try {
      expect(() => defineStack({ prefix: "second", keysFile, logRetentionDays: 90 })).toThrow(pulumi.RunError);
      expect(() => defineStack({ prefix: "second", keysFile, logRetentionDays: 90 })).toThrow(
        `${keysFile}:4: keys.partner-x.status: must be one of "active", "inactive", got "enabled"`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(registered.slice(before)).toEqual([]);
  });
});

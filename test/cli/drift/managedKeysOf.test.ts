import { API_KEY_TYPE, managedKeysOf } from "../../../cli/drift/managedKeysOf";

const SECRET = "4dabf18193072939515e22adb298388d";

/** The shape `pulumi stack export` produces, trimmed to what matters. */
const EXPORTED = {
  version: 3,
  deployment: {
    manifest: {},
    resources: [
      { urn: "urn:pulumi:dev::apikeys-example::pulumi:pulumi:Stack::apikeys-example-dev", type: "pulumi:pulumi:Stack", custom: false },
      {
        urn: "urn:pulumi:dev::apikeys-example::pulumi-nodejs:dynamic/apikeys:ApiKey::partner-x",
        type: API_KEY_TYPE,
        custom: true,
        id: "key_1",
        outputs: { keyId: "key_1", name: "Swaggy M", description: "Partner X", status: "active", owner: "partners", region: "us-east-1", __provider: "exports.handler = ..." },
      },
      {
        urn: "urn:pulumi:dev::apikeys-example::pulumi-nodejs:dynamic/apikeys:ApiKey::billing",
        type: API_KEY_TYPE,
        custom: true,
        id: "key_2",
        delete: true,
        outputs: { keyId: "key_2", name: { [SECRET]: "1b47061264138c4ac30d75fd1eb44270", plaintext: '"Billing"' }, status: "inactive" },
      },
      { urn: "urn:pulumi:dev::apikeys-example::pulumi-nodejs:dynamic:Resource::other", type: "pulumi-nodejs:dynamic:Resource", custom: true, id: "x", outputs: {} },
    ],
  },
};

describe("managedKeysOf", () => {
  it("takes the ApiKey resources of an exported state, with their URN, named by its last part", () => {
    expect(managedKeysOf(EXPORTED, "dev")).toEqual([
      { stack: "dev", resource: "partner-x", urn: "urn:pulumi:dev::apikeys-example::pulumi-nodejs:dynamic/apikeys:ApiKey::partner-x", keyId: "key_1", fields: { name: "Swaggy M", description: "Partner X", status: "active", owner: "partners" }, region: "us-east-1", pendingDelete: false },
      { stack: "dev", resource: "billing", urn: "urn:pulumi:dev::apikeys-example::pulumi-nodejs:dynamic/apikeys:ApiKey::billing", keyId: "key_2", fields: { name: "Billing", status: "inactive" }, pendingDelete: true },
    ]);
  });

  it("finds no keys in a stack that has none yet", () => {
    expect(managedKeysOf({ version: 3, deployment: {} }, "empty")).toEqual([]);
  });

  it("refuses something that is not an exported state, naming the stack", () => {
    expect(() => managedKeysOf({ resources: [] }, "dev")).toThrow('stack "dev": the exported state has no deployment');
  });
});

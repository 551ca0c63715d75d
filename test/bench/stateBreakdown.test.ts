import { resourceBytes, stateBreakdown } from "../../bench/stateBreakdown";

const PROVIDER = 'exports.handler=()=>{try{return require("pulumi-apikeys/provider-runtime")}catch(e){throw e}};';
const stack = { urn: "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", custom: false, type: "pulumi:pulumi:Stack", outputs: { inventory: { a: { maskedKey: "ak_abcd…wxyz" } } } };

function apiKey(name: string) {
  return {
    urn: `urn:pulumi:s::p::pulumi-nodejs:dynamic/apikeys:ApiKey::${name}`,
    custom: true,
    id: `key_${name}`,
    type: "pulumi-nodejs:dynamic/apikeys:ApiKey",
    inputs: { __provider: PROVIDER, name, scopes: ["orders:read"] },
    outputs: { __provider: PROVIDER, name, scopes: ["orders:read"], maskedKey: "ak_abcd…wxyz", version: 1 },
    parent: stack.urn,
    propertyDependencies: { __provider: [], name: [] },
    created: "2026-11-28T12:00:00Z",
    sourcePosition: "project:///example/index.ts#8,37",
    stackTrace: [{ sourcePosition: "project:///provider/ApiKey.ts#108,5" }, {}],
  };
}

// As `pulumi stack export` prints it: four-space indentation and a final newline.
const exportText = (resources: unknown[]): string => JSON.stringify({ version: 3, deployment: { manifest: {}, resources } }, null, 4) + "\n";
const bytes = (text: string): number => Buffer.byteLength(text, "utf8");

describe("the state breakdown of one resource", () => {
  const withBoth = exportText([stack, apiKey("a"), apiKey("b")]);
  const breakdown = stateBreakdown(withBoth, ":ApiKey");

  it("counts as the resource's size what removing it from the export saves, in UTF-8 bytes", () => {
    expect(breakdown.total).toBe(bytes(withBoth) - bytes(exportText([stack, apiKey("b")])));
  });

  it("splits that size into parts that add up to it", () => {
    const { total, providerSource: _source, ...parts } = breakdown;
    expect(Object.values(parts).reduce((sum, part) => sum + part, 0)).toBe(total);
  });

  it("counts the serialized provider once as source and twice as stored", () => {
    expect(breakdown.providerSource).toBe(bytes(PROVIDER));
    expect(breakdown.providerTwice).toBe(2 * bytes(`"__provider":${JSON.stringify(PROVIDER)},`));
  });

  it("puts the indentation and line breaks of the export into the pretty-print part", () => {
    expect(breakdown.prettyPrint).toBe(breakdown.total - bytes(JSON.stringify(apiKey("a"))));
  });

  it("refuses an export without a resource of the type", () => {
    expect(() => stateBreakdown(exportText([stack]), ":ApiKey")).toThrow(/no resource/);
  });

  it("measures the stack resource, whose outputs hold the program's stack outputs", () => {
    expect(resourceBytes(withBoth, "pulumi:pulumi:Stack")).toBe(bytes(withBoth) - bytes(exportText([apiKey("a"), apiKey("b")])));
    expect(resourceBytes(exportText([apiKey("a")]), "pulumi:pulumi:Stack")).toBe(0);
  });
});

import fs from "node:fs";
import path from "node:path";

const ROOT = path.join(__dirname, "../..");
// import ... from "x", import("x"), require("x"), export ... from "x"
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;

// The package's own entry points, which the example and infra/ programs import by name as its users do.
const OWN_PACKAGE: Record<string, string> = {
  "pulumi-apikeys": path.join(ROOT, "provider/index.ts"),
  "pulumi-apikeys/backend": path.join(ROOT, "backend/index.ts"),
  "pulumi-apikeys/policy": path.join(ROOT, "policy/apiKeyPolicies.ts"),
};

function resolveModule(from: string, specifier: string): string | undefined {
  if (OWN_PACKAGE[specifier]) return OWN_PACKAGE[specifier];
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, "index.ts")].find((candidate) => fs.existsSync(candidate));
}

/** Every package a module reaches through its relative imports, transitively, with the file that imports it. */
function packagesReachedFrom(entries: string[]): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of fs.readFileSync(file, "utf8").matchAll(IMPORT)) {
      if (specifier.startsWith(".") || OWN_PACKAGE[specifier]) {
        const target = resolveModule(file, specifier);
        if (target) queue.push(target);
      } else if (!packages.has(specifier)) {
        packages.set(specifier, path.relative(ROOT, file));
      }
    }
  }
  return packages;
}

function tsFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : tsFilesUnder(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

describe("the @pulumi/aws boundary", () => {
  it.each(["example", "local", "tools", "provider", "lambdas", "contract", "manifest", "policy"])("keeps @pulumi/aws out of everything %s/ imports, transitively", (dir) => {
    const reached = packagesReachedFrom(tsFilesUnder(path.join(ROOT, dir)));
    const aws = [...reached].filter(([name]) => name === "@pulumi/aws" || name.startsWith("@pulumi/aws/"));
    expect(aws).toEqual([]);
  });

  it("finds it from backend/, so the walk does see such an import", () => {
    expect(packagesReachedFrom([path.join(ROOT, "backend/index.ts")]).get("@pulumi/aws")).toMatch(/^backend\//);
  });
});

const DYNAMODB_PACKAGES = ["@aws-sdk/lib-dynamodb", "@aws-sdk/client-dynamodb"];
// import { A, type B } from "x" (value and type names), import * as x from "x", require("x"), import("x")
const NAMED_IMPORT = /\bimport\s+(type\s+)?\{([^}]*)\}\s*from\s*["']([^"']+)["']/g;
const WHOLE_MODULE = /(?:\bimport\s+\*\s+as\s+\w+\s+from\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)["']([^"']+)["']/g;

/** Every value a module imports from the DynamoDB packages, as `where: name` (`*` for the whole module); types are left out. */
function dynamoValuesImportedBy(where: string, source: string): string[] {
  const named = [...source.matchAll(NAMED_IMPORT)]
    .filter(([, typeOnly, , specifier]) => !typeOnly && DYNAMODB_PACKAGES.includes(specifier))
    .flatMap(([, , names]) => names.split(",").map((name) => name.trim()).filter((name) => name && !name.startsWith("type ")))
    .map((name) => `${where}: ${name.split(/\s+as\s+/)[0]}`);
  const whole = [...source.matchAll(WHOLE_MODULE)].filter(([, specifier]) => DYNAMODB_PACKAGES.includes(specifier)).map(() => `${where}: *`);
  return [...named, ...whole];
}

describe("the key table boundary of the CLI", () => {
  it("leaves the key table's commands to the store: cli/ builds the client and queries the audit table, nothing else", () => {
    const imported = tsFilesUnder(path.join(ROOT, "cli"))
      .flatMap((file) => dynamoValuesImportedBy(path.relative(ROOT, file), fs.readFileSync(file, "utf8")))
      .sort();
    expect(imported).toEqual(["cli/backend/queryAudit.ts: QueryCommand", "cli/nodeContext.ts: DynamoDBClient", "cli/nodeContext.ts: DynamoDBDocumentClient"]);
  });

  it("knows nothing of the key table's item layout: no partition keys, no item types", () => {
    const layout = /\bItemKey\b|\bItemType\b|["'`](?:KEY|HASH)#|\bpk\b|\.type\s*===?\s*["']/;
    const knowing = tsFilesUnder(path.join(ROOT, "cli")).filter((file) => layout.test(fs.readFileSync(file, "utf8"))).map((file) => path.relative(ROOT, file));
    expect(knowing).toEqual([]);
  });

  it("sees a command imported by name or a module required whole, and lets types pass", () => {
    const source = [
      'import { ScanCommand as Scan, type ScanCommandInput } from "@aws-sdk/lib-dynamodb";',
      'import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";',
      'const lib = require("@aws-sdk/client-dynamodb");',
    ].join("\n");
    expect(dynamoValuesImportedBy("x.ts", source)).toEqual(["x.ts: ScanCommand", "x.ts: *"]);
  });
});

describe("the Lambda answers of the CLI", () => {
  it("are read by the contract's one decoder: every file that invokes a function decodes with it, none reads an answer itself", () => {
    const files = tsFilesUnder(path.join(ROOT, "cli")).map((file) => ({ where: path.relative(ROOT, file), source: fs.readFileSync(file, "utf8") }));
    const invoking = files.filter(({ source }) => /\bnew InvokeCommand\b/.test(source));
    expect(invoking.length).toBeGreaterThan(0);
    expect(invoking.filter(({ source }) => !/\bdecodeAnswer\(/.test(source)).map(({ where }) => where)).toEqual([]);
    expect(files.filter(({ source }) => /\.Payload\b|\bFunctionError\b/.test(source)).map(({ where }) => where)).toEqual([]);
  });
});

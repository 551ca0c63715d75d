import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../../tools/repoRoot";

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), "policy", "package.json"), "utf8"));

describe("the policy pack's package.json", () => {
  it("carries the package's version, without which @pulumi/policy refuses to serve the pack", () => {
    expect(manifest.version).toBe(require(path.join(repoRoot(), "package.json")).version);
  });

  it("points at the compiled pack", () => {
    expect(path.resolve(repoRoot(), "policy", manifest.main)).toBe(path.join(repoRoot(), "dist", "policy", "index.js"));
  });
});

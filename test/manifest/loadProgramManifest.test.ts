import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadProgramManifest } from "../../manifest";

describe("loadProgramManifest", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-program-manifest-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("fails a bad manifest as a RunError, which Pulumi prints without a stack trace", () => {
    const file = path.join(dir, "keys.yaml");
    fs.writeFileSync(file, "keys:\n  a:\n    name: A\n    status: on\n");
    let thrown: unknown;
    try {
      loadProgramManifest(file);
    } catch (error) {
      thrown = error;
    }
    expect(pulumi.RunError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).toContain(`${file}:4: keys.a.status: must be one of "active", "inactive", got "on"`);
  });

  it("returns a good manifest, and lets other failures through as they are", () => {
    const file = path.join(dir, "good.yaml");
    fs.writeFileSync(file, "keys:\n  a:\n    name: A\n");
    expect(loadProgramManifest(file).entries.map((entry) => entry.id)).toEqual(["a"]);
    expect(() => loadProgramManifest(path.join(dir, "missing.yaml"))).toThrow(/ENOENT/);
  });
});

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { BACKEND_FUNCTIONS } from "../../contract";
import { FAILPOINT_FILE_ENV } from "../../lambdas/failpoint";

const root = path.join(__dirname, "../..");

/** Every source file under `dir`. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith(".ts") ? [full] : [];
  });
}

// The points the operations stop at, read from the sources, so that a new one is covered without touching this test.
const POINTS = [...new Set(sources(path.join(root, "lambdas")).flatMap((file) => [...fs.readFileSync(file, "utf8").matchAll(/failpoint\("([^"]+)"\)/g)].map((match) => match[1])))];

const bundle = (dir: string, fn: string) => fs.readFileSync(path.join(root, "dist", dir, fn, "index.js"), "utf8");

/** What of the failpoint code a bundle holds: the variable naming the file, the point names, the error it throws. */
function failpointCode(text: string): string[] {
  return [FAILPOINT_FILE_ENV, "failpoint ", ...POINTS].filter((needle) => text.includes(needle));
}

describe("the build", () => {
  it("finds the operations' failpoints in the sources", () => {
    expect(POINTS.length).toBeGreaterThanOrEqual(6);
    expect(POINTS).toEqual(expect.arrayContaining(["create.afterSecret", "delete.afterTombstone", "rotate.afterSwitch"]));
  });

  it("gives the test copies of the functions every failpoint, so the check below can see one", () => {
    const all = BACKEND_FUNCTIONS.map((fn) => bundle("failpoints", fn)).join("\n");
    expect(failpointCode(all).sort()).toEqual([FAILPOINT_FILE_ENV, "failpoint ", ...POINTS].sort());
  });

  it.each(BACKEND_FUNCTIONS)("leaves every failpoint out of the %s function the backend deploys", (fn) => {
    expect(failpointCode(bundle("lambdas", fn))).toEqual([]);
  });

  it("packs the deployed functions and not their test copies", () => {
    const out = execFileSync("npm", ["pack", "--ignore-scripts", "--dry-run", "--json"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((file) => file.path);
    expect(files).toEqual(expect.arrayContaining(BACKEND_FUNCTIONS.map((fn) => `dist/lambdas/${fn}/index.js`)));
    expect(files.filter((file) => file.startsWith("dist/failpoints/"))).toEqual([]);
  });
});

import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "./repoRoot";

/** What a consumer project is made of, beside the packed package. */
export interface ConsumerProjectOptions {
  /** The @pulumi/pulumi version the project depends on; defaults to the one this repository develops against. */
  pulumiVersion?: string;
  /** The program copied into the project (Pulumi.yaml, index.ts, tsconfig.json ...); defaults to example/. */
  programDir?: string;
  /** More dependencies, by name and version (e.g. @pulumi/aws for the backend component). */
  dependencies?: Record<string, string>;
}

/** A Pulumi project outside the repository with the packed package installed from its tarball, as a user has it. */
export interface ConsumerProject {
  dir: string;
  tarball: string;
  /** The @pulumi/pulumi version installed in it. */
  pulumiVersion: string;
}

const CACHE = path.join(os.tmpdir(), "pulumi-apikeys-consumers");
// What a program directory holds beside its program files; the project writes its own.
const NOT_COPIED = new Set(["package.json", "package-lock.json", ".npmrc", "node_modules"]);

/** The program's files: every plain file of `programDir` but its package manifest and installs. */
function programFiles(programDir: string): string[] {
  return fs.readdirSync(programDir, { withFileTypes: true }).filter((entry) => entry.isFile() && !NOT_COPIED.has(entry.name)).map((entry) => entry.name).sort();
}

function devVersion(name: string): string {
  return require(path.join(repoRoot(), "package.json")).devDependencies[name];
}

/** `npm pack` of the built repository (without running its build again): the file a registry would serve. */
export function packPackage(destination: string): string {
  fs.mkdirSync(destination, { recursive: true });
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", destination], { cwd: repoRoot(), encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const [{ filename }] = JSON.parse(out) as { filename: string }[];
  return path.join(destination, filename);
}

/**
 * Makes (or reuses, when the same tarball and dependencies were installed before) a consumer project in the temp
 * directory: its own package.json naming the tarball, the program files of `programDir`, and `npm install`. Safe to
 * call from several test processes at once: each installs into a directory of its own, and the first complete one wins.
 */
export function consumerProject(options: ConsumerProjectOptions = {}): ConsumerProject {
  const pulumiVersion = options.pulumiVersion ?? devVersion("@pulumi/pulumi");
  const programDir = options.programDir ?? path.join(repoRoot(), "example");
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-apikeys-pack-"));
  const packed = packPackage(staging);
  const digest = crypto.createHash("sha256").update(fs.readFileSync(packed)).update(JSON.stringify([pulumiVersion, programDir, options.dependencies ?? {}]));
  for (const file of programFiles(programDir)) digest.update(file).update(fs.readFileSync(path.join(programDir, file)));
  const dir = path.join(CACHE, digest.digest("hex").slice(0, 16));
  const tarball = path.join(dir, path.basename(packed));
  if (fs.existsSync(path.join(dir, ".complete"))) {
    fs.rmSync(staging, { recursive: true, force: true });
    return { dir, tarball, pulumiVersion };
  }
  const work = `${dir}.${process.pid}`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  fs.renameSync(packed, path.join(work, path.basename(packed)));
  fs.rmSync(staging, { recursive: true, force: true });
  for (const file of programFiles(programDir)) fs.copyFileSync(path.join(programDir, file), path.join(work, file));
  const manifest = {
    name: "apikeys-consumer",
    private: true,
    main: "index.ts",
    dependencies: { "@pulumi/pulumi": pulumiVersion, "pulumi-apikeys": `file:./${path.basename(packed)}`, ...options.dependencies },
    devDependencies: { "@types/node": devVersion("@types/node"), typescript: devVersion("typescript") },
  };
  fs.writeFileSync(path.join(work, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: work, stdio: ["ignore", "ignore", "inherit"] });
  fs.writeFileSync(path.join(work, ".complete"), "");
  try {
    fs.renameSync(work, dir);
  } catch {
    // Another process finished the same project first; use it.
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { dir, tarball, pulumiVersion };
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ensureTool } from "../../tools/ensureTool";
import { runProcess } from "./runProcess";

/** Headless Chromium (Debian's package) for pages the tests render: the DOM after its scripts ran, and screenshots. */
export interface Chromium {
  /** The page's DOM once loaded, scripts run, as `--dump-dom` prints it; `fragment` is added to the file URL. */
  dumpDom(file: string, fragment?: string): Promise<string>;
  /** A PNG of the page at `width` x `height`, written to `out`. */
  screenshot(file: string, out: string, width?: number, height?: number): Promise<void>;
}

// No network, no background services, no first-run work: the page alone.
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Finds (or installs) Chromium; each run gets a profile directory of its own, removed afterwards. */
export function chromium(): Chromium {
  const binary = path.join(ensureTool("chromium"), "chromium");
  const run = async (args: string[]) => {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-chromium-"));
    try {
      const result = await runProcess(binary, [...FLAGS, `--user-data-dir=${profile}`, ...args]);
      if (result.code !== 0) throw new Error(`chromium exited ${result.code}: ${result.stderr.slice(-2000)}`);
      return result.stdout;
    } finally {
      fs.rmSync(profile, { recursive: true, force: true });
    }
  };
  return {
    dumpDom: (file, fragment = "") => run(["--dump-dom", `${pathToFileURL(file).href}${fragment}`]),
    screenshot: async (file, out, width = 1400, height = 1000) => {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      await run([`--window-size=${width},${height}`, "--hide-scrollbars", `--screenshot=${out}`, pathToFileURL(file).href]);
    },
  };
}

import fs from "node:fs/promises";
import path from "node:path";
import type { TextInput } from "../CliContext";

/** A text to scan and the name findings are reported under; or why it could not be read. */
export type TextSource = { label: string; text: string } | { label: string; error: string };

/** What `apikeys scan` calls the standard input in its findings. */
export const STDIN_LABEL = "stdin";

// Directories that hold other people's files or git's objects: walking them reports nothing of the project's own.
const SKIPPED_DIRECTORIES = new Set([".git", "node_modules"]);

async function readStdin(stdin: TextInput): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function* walk(file: string): AsyncGenerator<TextSource> {
  let stat;
  try {
    stat = await fs.lstat(file);
  } catch (error) {
    yield { label: file, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
    return;
  }
  if (stat.isDirectory()) {
    const entries = (await fs.readdir(file, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.isDirectory() && SKIPPED_DIRECTORIES.has(entry.name)) continue;
      yield* walk(path.join(file, entry.name));
    }
    return;
  }
  // Symbolic links are not followed: a link to a directory above would loop, and its target is scanned where it lives.
  if (!stat.isFile()) return;
  try {
    yield { label: file, text: await fs.readFile(file, "utf8") };
  } catch (error) {
    yield { label: file, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

/**
 * The texts `apikeys scan` reads: each file named, every file under each directory named (in name order, without
 * `.git` and `node_modules`, links not followed), or the standard input when no path is given. Binary files are read
 * as text too: a key in a bundle or an archive's plain text is as leaked as one in source code.
 */
export async function* readSources(paths: readonly string[], stdin: TextInput): AsyncGenerator<TextSource> {
  if (paths.length === 0) {
    yield { label: STDIN_LABEL, text: await readStdin(stdin) };
    return;
  }
  for (const file of paths) yield* walk(file);
}

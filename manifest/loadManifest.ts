import fs from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import type { KeyDeclaration, KeyManifest } from "./KeyManifest";
import { ManifestError, type ManifestProblem } from "./ManifestError";
import { formatPath } from "./formatPath";
import { lineOf } from "./lineOf";
import { validateManifest } from "./validateManifest";

/**
 * Parses and validates keys manifest text; `file` names it in messages. Throws a {@link ManifestError} listing every
 * problem with its line and property path, so one review round fixes them all.
 */
export function parseManifest(text: string, file: string): KeyManifest {
  const lineCounter = new LineCounter();
  // Plain messages: the line comes from the counter, and a code frame would only repeat the file.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length) {
    const problems = document.errors.map((error): ManifestProblem => ({ file, line: lineCounter.linePos(error.pos[0]).line, path: "", message: error.message }));
    throw new ManifestError(file, problems);
  }
  const data = document.toJS() as unknown;
  const problems = validateManifest(data).map(
    (problem): ManifestProblem => ({
      file,
      line: lineOf(document, lineCounter, problem.at.path, problem.at.key),
      path: formatPath(problem.path, data),
      message: problem.message,
    }),
  );
  if (problems.length) throw new ManifestError(file, problems.sort((a, b) => a.line - b.line));
  const keys = (data as { keys: Record<string, KeyDeclaration> }).keys;
  return {
    file,
    entries: Object.entries(keys).map(([id, declaration]) => ({ id, line: lineOf(document, lineCounter, ["keys", id], true), declaration })),
  };
}

/** Reads a keys manifest (`keys:` mapping resource names to key declarations) and validates it; see {@link parseManifest}. */
export function loadManifest(file: string): KeyManifest {
  return parseManifest(fs.readFileSync(file, "utf8"), file);
}

import { VerifyCode, hashKey, maskKey, type KeyValueMatch } from "../../contract";
import type { LambdaSender, TextInput, TextOutput } from "../CliContext";
import { ExitCode } from "../ExitCode";
import { lookupValue } from "../backend/lookupValue";
import { describeError } from "../describeError";
import { findKeys } from "../scan/findKeys";
import { readSources } from "../scan/readSources";
import { VERIFY_CODE_MEANING } from "./verifyKey";

/** Output formats of `apikeys scan`. */
export const ScanFormat = { TEXT: "text", JSON: "json" } as const;
/** One of {@link ScanFormat}. */
export type ScanFormat = (typeof ScanFormat)[keyof typeof ScanFormat];

/** Options of {@link scanFiles}. */
export interface ScanFilesOptions {
  /** Files and directories; the standard input when empty. */
  paths: string[];
  format: ScanFormat;
  /** Do not ask the backend which key each value is (pre-commit hooks, machines without AWS access). */
  offline: boolean;
  /** The read function, which finds a key by the hash of a value. */
  readFunction: string;
}

/** What {@link scanFiles} reads from and writes to. */
export interface ScanFilesIo {
  lambda(): LambdaSender;
  stdin: TextInput;
  stdout: TextOutput;
  stderr: TextOutput;
}

/** One key found: where, masked, and what the backend said about it (`undefined` when it was not asked). */
export interface ScanFinding {
  file: string;
  line: number;
  column: number;
  maskedKey: string;
  /** The backend's answer: null when no value of it has this hash; undefined when it was not asked. */
  match?: KeyValueMatch | null;
}

function describeMatch(finding: ScanFinding, lookedUp: boolean): string {
  const { match } = finding;
  if (match === undefined) return lookedUp ? "not looked up" : "";
  if (match === null) return "no value of any key in this backend (never issued by it, deleted, or two rotations old)";
  const name = match.key ? ` (${match.key.name}${match.key.owner ? `, owner ${match.key.owner}` : ""})` : "";
  const role = match.role === "current" ? "" : `, its ${match.role} value`;
  if (match.code === VerifyCode.VALID) return `${match.keyId}${name}${role}: LIVE, verify accepts it`;
  return `${match.keyId}${name}${role}: not live, ${match.code} (${VERIFY_CODE_MEANING[match.code]})`;
}

/**
 * `apikeys scan [paths…]`: finds keys whose checksum holds in files, directories or the standard input, and prints
 * where each is and its masked form, never the key. Unless offline, asks the backend's read function by hash which
 * key each is and whether it is live; a backend that cannot be reached is noted on stderr, and the findings stand.
 * Exit 0 when none is found, 1 when some are, 2 when a path could not be read.
 */
export async function scanFiles(options: ScanFilesOptions, io: ScanFilesIo): Promise<ExitCode> {
  const findings: ScanFinding[] = [];
  const keys: string[] = [];
  let unreadable = 0;
  for await (const source of readSources(options.paths, io.stdin)) {
    if ("error" in source) {
      io.stderr.write(`apikeys: ${source.label}: could not read it (${source.error})\n`);
      unreadable += 1;
      continue;
    }
    for (const found of findKeys(source.text)) {
      findings.push({ file: source.label, line: found.line, column: found.column, maskedKey: maskKey(found.key) });
      keys.push(found.key);
    }
  }

  let lookedUp = false;
  if (!options.offline && findings.length) {
    // One question per distinct value; the first failure means the backend is out of reach, and the rest are not asked.
    const answers = new Map<string, KeyValueMatch | null>();
    try {
      for (const hash of new Set(keys.map(hashKey))) answers.set(hash, await lookupValue(io.lambda(), options.readFunction, hash));
      lookedUp = true;
    } catch (error) {
      io.stderr.write(`apikeys: could not ask the backend which keys these are: ${describeError(error)}; the findings stand, unmatched\n`);
    }
    if (lookedUp) findings.forEach((finding, index) => (finding.match = answers.get(hashKey(keys[index]))));
  }

  if (options.format === ScanFormat.JSON) {
    io.stdout.write(`${JSON.stringify({ found: findings.length, lookedUp, findings }, null, 2)}\n`);
  } else {
    for (const finding of findings) {
      const detail = describeMatch(finding, lookedUp);
      io.stdout.write(`${finding.file}:${finding.line}:${finding.column}: ${finding.maskedKey}${detail ? `  ${detail}` : ""}\n`);
    }
    const files = new Set(findings.map((finding) => finding.file)).size;
    const live = findings.filter((finding) => finding.match?.code === VerifyCode.VALID).length;
    if (findings.length === 0) io.stdout.write("No API keys found.\n");
    else {
      io.stdout.write(`${findings.length} API key${findings.length === 1 ? "" : "s"} found in ${files} file${files === 1 ? "" : "s"}${lookedUp ? `, ${live} live` : ""}.\n`);
      if (live) io.stdout.write('Revoke each live one at once: printf %s "$KEY" | apikeys revoke --reason "<why>"\n');
    }
  }
  if (unreadable) return ExitCode.ERROR;
  return findings.length ? ExitCode.FINDINGS : ExitCode.OK;
}

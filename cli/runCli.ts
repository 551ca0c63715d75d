import path from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { DEFAULT_AUDIT_TABLE_NAME, DEFAULT_TABLE_NAME, KeyStatus, parseDuration, redactKeys } from "../contract";
import { version } from "../package.json";
import type { CliContext } from "./CliContext";
import { ExitCode } from "./ExitCode";
import { parseSince } from "./audit/parseSince";
import { AuditFormat, auditReport } from "./commands/auditReport";
import { DriftFormat, driftReport } from "./commands/driftReport";
import { LIST_DESCRIPTION, LIST_STATUSES, ListFormat, listKeys } from "./commands/listKeys";
import { DEFAULT_UPDATE_FUNCTION, setKeyStatus } from "./commands/setKeyStatus";
import { DEFAULT_VERIFY_FUNCTION, VerifyFormat, verifyKey } from "./commands/verifyKey";
import { writeRules } from "./commands/writeRules";
import { revokeKey } from "./commands/revokeKey";
import { inventoryReport } from "./commands/inventoryReport";
import { ScanFormat, scanFiles } from "./commands/scanFiles";
import { DEFAULT_READ_FUNCTION } from "./backend/lookupValue";
import { describeError } from "./describeError";

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError("must be a positive integer");
  return number;
}

// No default list: commander's requiredOption counts a default as given.
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function period(value: string): number {
  const seconds = parseDuration(value);
  if (seconds === undefined || seconds === 0) throw new InvalidArgumentError('must be a period such as "30d", "12h" or "90m"');
  return seconds;
}

/** How far ahead the report flags expiring keys when no period is given. */
const DEFAULT_EXPIRY_WARNING = "30d";

/** The audit period when none is given. */
const DEFAULT_SINCE = "30d";

function since(value: string, now: Date): Date {
  try {
    return parseSince(value, now);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Options every command that scans the key table takes. */
function scanOptions(command: Command, env: NodeJS.ProcessEnv): Command {
  return command
    .option("--table <name>", ...fromEnv(env, "tableName", "the key table"))
    .option("--page-size <items>", "items per Scan page", positiveInteger)
    .option("--progress", "report scan progress on stderr even when it is not a terminal");
}

/** The environment variables the CLI reads, each with the default it falls back to: named once, here. */
const CLI_ENV = {
  tableName: ["APIKEYS_TABLE_NAME", DEFAULT_TABLE_NAME],
  auditTableName: ["APIKEYS_AUDIT_TABLE_NAME", DEFAULT_AUDIT_TABLE_NAME],
  readFunction: ["APIKEYS_READ_FUNCTION", DEFAULT_READ_FUNCTION],
  updateFunction: ["APIKEYS_UPDATE_FUNCTION", DEFAULT_UPDATE_FUNCTION],
  verifyFunction: ["APIKEYS_VERIFY_FUNCTION", DEFAULT_VERIFY_FUNCTION],
} as const;

/** An option's help text naming the variable it defaults from, and that default as the environment sets it. */
function fromEnv(env: NodeJS.ProcessEnv, setting: keyof typeof CLI_ENV, what: string): [string, string] {
  const [name, fallback] = CLI_ENV[setting];
  return [`${what} (env ${name})`, env[name] || fallback];
}

/** Builds the `apikeys` program on `context`; `exit` receives each command's exit code. */
export function createProgram(context: CliContext, exit: (code: ExitCode) => void): Command {
  const { env } = context;
  const program = new Command("apikeys")
    .description("Inventory, drift, audit and report views of an apikeys backend, key verification, leaked-key scan and revoke, scanner rules, and the emergency Status toggle.")
    .version(version)
    .showHelpAfterError("(add --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(redactKeys(text)),
    });

  scanOptions(program.command("list").description(LIST_DESCRIPTION), env)
    .addOption(new Option("--json", "print JSON").conflicts("csv"))
    .option("--csv", "print CSV")
    .addOption(new Option("--status <status>", "only keys with this status (deleted lists tombstones)").choices(LIST_STATUSES))
    .option("--owner <owner>", "only keys of this owner")
    .option("--prefix <prefix>", "only keys with this key prefix (ak, svc, ...)")
    .option("--include-deleted", "list deleted keys (tombstones) too")
    .option("--expiring <period>", "only keys that expire within the period (30d, 12h), soonest first; exit 1 when there are any", period)
    .action(async (options) => {
      const format = options.json ? ListFormat.JSON : options.csv ? ListFormat.CSV : ListFormat.TABLE;
      const { table: tableName, status, owner, prefix, includeDeleted, pageSize, progress, expiring: expiringWithinSeconds } = options;
      exit(
        await listKeys(
          { tableName, format, status, owner, prefix, includeDeleted, pageSize, progress, expiringWithinSeconds },
          { dynamo: context.dynamo(), stdout: context.stdout, stderr: context.stderr, now: context.now },
        ),
      );
    });

  scanOptions(program.command("drift").description("compare Pulumi stacks' ApiKeys with the backend (exit 0 clean, 1 drift, 2 error)"), env)
    .requiredOption("--stack <name>", "a stack whose ApiKeys to compare; repeat for several", collect)
    .option("--cwd <dir>", "the Pulumi project directory", ".")
    .option("--json", "print JSON")
    .action(async (options) => {
      const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
      exit(
        await driftReport(
          { stacks: options.stack, cwd: path.resolve(options.cwd), tableName: options.table, format: options.json ? DriftFormat.JSON : DriftFormat.TABLE, region, pageSize: options.pageSize, progress: options.progress },
          { dynamo: context.dynamo(), loadStackState: context.loadStackState, stdout: context.stdout, stderr: context.stderr },
        ),
      );
    });

  program
    .command("audit")
    .description("the audit trail of key changes: who changed what, when, from which commit")
    .addOption(
      new Option("--since <when>", "start: a duration back from now (30d, 12h), a date (2026-11-01) or an ISO-8601 instant")
        .argParser((value) => since(value, context.now()))
        .default(since(DEFAULT_SINCE, context.now()), DEFAULT_SINCE),
    )
    .option("--key <keyId>", "only this key's events")
    .addOption(new Option("--format <format>", "output format").choices(Object.values(AuditFormat)).default(AuditFormat.TABLE))
    .option("--table <name>", ...fromEnv(env, "auditTableName", "the audit table"))
    .action(async (options) => {
      exit(await auditReport({ tableName: options.table, since: options.since, keyId: options.key, format: options.format }, { dynamo: context.dynamo(), stdout: context.stdout, now: context.now }));
    });

  program
    .command("verify")
    .description("verify a key read from stdin (exit 0 valid, 1 not valid, 2 error); never pass the key as an argument")
    .option("--function <name>", ...fromEnv(env, "verifyFunction", "the verify function"))
    .option("--json", "print the verify result as JSON")
    // Arguments are accepted only to refuse them with a message instead of commander's generic one.
    .allowExcessArguments()
    .action(async (options, command: Command) => {
      if (command.args.length > 0) {
        program.error(
          "error: apikeys verify reads the key from stdin, never from arguments, which end up in shell history and process lists.\n" +
            '  printf %s "$KEY" | apikeys verify\n' +
            "If that was a real key, consider it exposed and rotate it.",
          { code: "apikeys.keyInArguments", exitCode: ExitCode.ERROR },
        );
      }
      exit(await verifyKey({ functionName: options.function, format: options.json ? VerifyFormat.JSON : VerifyFormat.TEXT }, { lambda: context.lambda(), stdin: context.stdin, stdout: context.stdout, stderr: context.stderr }));
    });

  for (const [name, status, summary] of [
    ["deactivate", KeyStatus.INACTIVE, "turn a key off at once (verify refuses it), through the update function, audited with a reason"],
    ["activate", KeyStatus.ACTIVE, "turn a key back on, through the update function, audited with a reason"],
  ] as const) {
    program
      .command(`${name} <keyId>`)
      .description(`${summary}; never edit the table by hand`)
      .requiredOption("--reason <text>", "why, recorded in the audit event (1 to 256 characters)")
      .option("--function <name>", ...fromEnv(env, "updateFunction", "the update function"))
      .action(async (keyId: string, options) => {
        exit(await setKeyStatus({ keyId, status, reason: options.reason, functionName: options.function }, { lambda: context.lambda(), stdout: context.stdout, callerArn: context.callerArn }));
      });
  }

  scanOptions(program.command("report").description("the inventory as one self-contained HTML page: keys, expiry warnings, drift with --stack, the audit summary"), env)
    .option("--html", "write HTML (the one format, for now)")
    .option("--audit-table <name>", ...fromEnv(env, "auditTableName", "the audit table"))
    .addOption(
      new Option("--since <when>", "start of the audit summary: a duration back from now (30d), a date or an ISO-8601 instant")
        .argParser((value) => since(value, context.now()))
        .default(since(DEFAULT_SINCE, context.now()), DEFAULT_SINCE),
    )
    .option("--expiring <period>", "flag keys that expire within the period", period, period(DEFAULT_EXPIRY_WARNING))
    .option("--stack <name>", "a stack to compare with the backend, for drift badges; repeat for several", collect)
    .option("--cwd <dir>", "the Pulumi project directory of the stacks", ".")
    .action(async (options) => {
      if (!options.html) program.error("error: apikeys report writes HTML; add --html", { code: "apikeys.reportFormat", exitCode: ExitCode.ERROR });
      const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
      exit(
        await inventoryReport(
          {
            tableName: options.table,
            auditTableName: options.auditTable,
            since: options.since,
            stacks: options.stack ?? [],
            cwd: path.resolve(options.cwd),
            region,
            warnWithinSeconds: options.expiring,
            pageSize: options.pageSize,
            progress: options.progress,
          },
          { dynamo: context.dynamo(), loadStackState: context.loadStackState, stdout: context.stdout, stderr: context.stderr, now: context.now },
        ),
      );
    });

  program
    .command("revoke")
    .description("kill a leaked key's value at once (a rotation with no grace) through the update function; the key is read from stdin, never from arguments")
    .requiredOption("--reason <text>", "why, recorded in the audit events (1 to 256 characters)")
    .option("--deactivate", "switch the key off too")
    .option("--stack <name>", "a stack to search for the key's resource, to print its URN; repeat for several", collect)
    .option("--cwd <dir>", "the Pulumi project directory of the stacks", ".")
    .option("--read-function <name>", ...fromEnv(env, "readFunction", "the read function, which finds the key by the value's hash"))
    .option("--update-function <name>", ...fromEnv(env, "updateFunction", "the update function"))
    // Arguments are accepted only to refuse them with a message instead of commander's generic one.
    .allowExcessArguments()
    .action(async (options, command: Command) => {
      if (command.args.length > 0) {
        program.error(
          "error: apikeys revoke reads the leaked key from stdin, never from arguments, which end up in shell history and process lists.\n" +
            '  printf %s "$KEY" | apikeys revoke --reason "<why>"',
          { code: "apikeys.keyInArguments", exitCode: ExitCode.ERROR },
        );
      }
      exit(
        await revokeKey(
          { reason: options.reason, deactivate: options.deactivate === true, stacks: options.stack ?? [], cwd: path.resolve(options.cwd), readFunction: options.readFunction, updateFunction: options.updateFunction },
          { lambda: context.lambda(), stdin: context.stdin, stdout: context.stdout, stderr: context.stderr, loadStackState: context.loadStackState, callerArn: context.callerArn },
        ),
      );
    });

  program
    .command("scan [paths...]")
    .description("find API keys with a valid checksum in files, directories or stdin, and which key each is (exit 0 none, 1 found, 2 error)")
    .option("--offline", "do not ask the backend which key each is and whether it is live")
    .option("--json", "print JSON")
    .option("--function <name>", ...fromEnv(env, "readFunction", "the read function, which finds a key by a value's hash"))
    .action(async (paths: string[], options) => {
      exit(
        await scanFiles(
          { paths, format: options.json ? ScanFormat.JSON : ScanFormat.TEXT, offline: options.offline === true, readFunction: options.function },
          { lambda: () => context.lambda(), stdin: context.stdin, stdout: context.stdout, stderr: context.stderr },
        ),
      );
    });

  program
    .command("rules")
    .description("write the secret scanners' rules for our keys (gitleaks, TruffleHog, detect-secrets, GitHub, pre-commit); --check compares instead")
    .requiredOption("--out <dir>", "the directory the rule files go to")
    .option("--prefix <prefix>", "a key prefix the rules match; repeat for several (default ak)", collect)
    .option("--policy-config <file>", "a policy pack config: its apikey-allowed-prefix.allowedPrefixes are matched too")
    .option("--hooks-file <file>", "write the pre-commit hook definitions here (.pre-commit-hooks.yaml at a repository's root) instead")
    .option("--check", "compare with the files in place; exit 1 when one differs")
    .action(async (options) => {
      exit(await writeRules({ out: options.out, prefixes: options.prefix ?? [], policyConfig: options.policyConfig, hooksFile: options.hooksFile, check: options.check === true }, { stdout: context.stdout }));
    });

  return program;
}

/** Runs `apikeys` with `argv` (the arguments after the program name) and returns the exit code. */
export async function runCli(argv: string[], context: CliContext): Promise<ExitCode> {
  let code: ExitCode = ExitCode.OK;
  try {
    await createProgram(context, (exitCode) => (code = exitCode)).parseAsync(argv, { from: "user" });
    return code;
  } catch (error) {
    // Help and --version end the same way as usage errors; only they exit 0. Commander has printed either already.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.OK : ExitCode.ERROR;
    context.stderr.write(`apikeys: ${redactKeys(describeError(error))}\n`);
    return ExitCode.ERROR;
  }
}

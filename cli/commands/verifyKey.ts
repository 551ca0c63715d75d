import { InvokeCommand } from "@aws-sdk/client-lambda";
import { DEFAULT_BACKEND_PREFIX, VerifyCode, decodeAnswer, functionName, redactKeys, type VerifyResult } from "../../contract";
import type { LambdaSender, TextInput, TextOutput } from "../CliContext";
import { ExitCode } from "../ExitCode";
import { formatInstant } from "../render/formatInstant";
import { readKeyFromStdin } from "../verify/readKeyFromStdin";

/** Output formats of `apikeys verify`. */
export const VerifyFormat = { TEXT: "text", JSON: "json" } as const;
/** One of {@link VerifyFormat}. */
export type VerifyFormat = (typeof VerifyFormat)[keyof typeof VerifyFormat];

/** The verify function when none is configured. */
export const DEFAULT_VERIFY_FUNCTION = functionName(DEFAULT_BACKEND_PREFIX, "verify");

/** What each refusal means, as the README's verify table says it. */
export const VERIFY_CODE_MEANING: Record<Exclude<VerifyCode, "VALID">, string> = {
  MALFORMED: "not a key of our format, or its checksum is wrong",
  NOT_FOUND: "no such key: never issued, deleted, or two rotations old",
  INACTIVE: "the key's Status toggle is off",
  EXPIRED: "the key's expiresAt has passed",
  ROTATED_OUT: "a previous value whose grace period has ended",
  NOT_YET_VALID: "the key's notBefore has not come yet",
  FORBIDDEN: "the request comes from an address outside the key's allowedCidrs, or gives none",
  INSUFFICIENT_SCOPES: "the key lacks a scope the request requires",
  RATE_LIMITED: "the key reached its rate limit in this window",
  USAGE_EXCEEDED: "the key's credits cannot pay for the request",
};

/** Options of {@link verifyKey}. */
export interface VerifyKeyOptions {
  functionName: string;
  format: VerifyFormat;
}

/** What {@link verifyKey} reads from and writes to. */
export interface VerifyKeyIo {
  lambda: LambdaSender;
  stdin: TextInput;
  stdout: TextOutput;
  stderr: TextOutput;
}

function describe(result: VerifyResult): string {
  if (!result.valid) {
    const meaning = VERIFY_CODE_MEANING[result.code] ?? "refused";
    return `${result.code}${result.keyId ? ` ${result.keyId}` : ""}: ${meaning}\n`;
  }
  const metadata = Object.entries(result.metadata).map(([name, value]) => `${name}=${value}`);
  return [
    `VALID ${result.keyId} (${result.name})`,
    `  scopes:   ${result.scopes.join(" ") || "-"}`,
    `  metadata: ${metadata.join(", ") || "-"}`,
    `  expires:  ${formatInstant(result.expiresAt, "never")}`,
    "",
  ].join("\n");
}

/** Invokes the verify function; its answer is read by the contract's decoder, as the provider reads its functions'. */
async function invokeVerify(lambda: LambdaSender, functionName: string, key: string): Promise<VerifyResult> {
  const response = await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: "RequestResponse", Payload: Buffer.from(JSON.stringify({ key })) }));
  return decodeAnswer(response, { functionName, operation: "verify" });
}

/**
 * `apikeys verify`: reads one key from stdin, asks the verify function about it and prints the answer. Exit 0 when
 * the key is valid, 1 when it is not, 2 when the question could not be asked. The key itself is never printed, not
 * even in an error message.
 */
export async function verifyKey(options: VerifyKeyOptions, io: VerifyKeyIo): Promise<ExitCode> {
  const key = await readKeyFromStdin(io.stdin, io.stderr);
  let result: VerifyResult;
  try {
    result = await invokeVerify(io.lambda, options.functionName, key);
  } catch (error) {
    // Nothing upstream should echo the key, but a message that did must not carry it to a terminal or a CI log.
    // A new error with the same name (for the hints) and no cause: a stack trace printed later would carry the original.
    throw Object.assign(new Error(redactKeys((error as Error).message, [key])), { name: (error as Error).name });
  }
  io.stdout.write(options.format === VerifyFormat.JSON ? `${JSON.stringify(result, null, 2)}\n` : describe(result));
  return result.valid ? ExitCode.OK : ExitCode.FINDINGS;
}

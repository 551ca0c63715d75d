// Hints for the failures a first run meets: nothing configured, or a name that does not exist in the region.
const HINTS: Record<string, string> = {
  CredentialsProviderError: "no AWS credentials found; configure them as for the AWS CLI (AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO)",
  ResourceNotFoundException: "check the table or function name and AWS_REGION; see --table, --function and the APIKEYS_* variables",
  UnrecognizedClientException: "the credentials are not valid for this endpoint",
  ExpiredTokenException: "the AWS credentials have expired; sign in again",
};

/** One line on why a command failed, for stderr: the error's own message, and a hint for the common AWS failures. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (/Region is missing/i.test(error.message)) return "no AWS region configured; set AWS_REGION";
  const hint = HINTS[error.name];
  const label = error.name && error.name !== "Error" ? `${error.name}: ` : "";
  return `${label}${error.message}${hint ? ` (${hint})` : ""}`;
}

import { describeError } from "../../cli/describeError";

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

describe("describeError", () => {
  it("adds a hint to the AWS failures a first run meets", () => {
    expect(describeError(named("ResourceNotFoundException", "Requested resource not found"))).toBe(
      "ResourceNotFoundException: Requested resource not found (check the table or function name and AWS_REGION; see --table, --function and the APIKEYS_* variables)",
    );
    expect(describeError(named("CredentialsProviderError", "Could not load credentials from any providers"))).toMatch(/no AWS credentials found/);
    expect(describeError(new Error("Region is missing"))).toBe("no AWS region configured; set AWS_REGION");
  });

  it("shows a plain error by its message alone", () => {
    expect(describeError(new Error("name at least one stack with --stack"))).toBe("name at least one stack with --stack");
  });
});

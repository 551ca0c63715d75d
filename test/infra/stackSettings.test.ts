import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { readStackSettings } from "../../infra/stackSettings";

const PROGRAM_DIR = path.join(path.sep, "repo", "infra");

function settingsFrom(config: Record<string, string>) {
  pulumi.runtime.setAllConfig(config);
  return readStackSettings(new pulumi.Config("apikeys-backend"), PROGRAM_DIR);
}

describe("readStackSettings", () => {
  it("defaults to the names the provider and the Lambdas assume, and to the program's manifest (bundles: the package's)", () => {
    expect(settingsFrom({})).toEqual({
      prefix: "apikeys",
      keysFile: path.join(PROGRAM_DIR, "keys.yaml"),
      logRetentionDays: 90,
      existingBackend: undefined,
    });
  });

  it("reads the prefix, the manifest path (relative to the program), the log retention and an existing backend", () => {
    expect(
      settingsFrom({
        "apikeys-backend:prefix": "team-a-keys",
        "apikeys-backend:keysFile": "../keys/prod.yaml",
        "apikeys-backend:logRetentionDays": "365",
        "apikeys-backend:existingBackend": JSON.stringify({ functionPrefix: "platform-apikeys", region: "eu-west-1" }),
      }),
    ).toMatchObject({
      prefix: "team-a-keys",
      keysFile: path.join(path.sep, "repo", "keys", "prod.yaml"),
      logRetentionDays: 365,
      existingBackend: { functionPrefix: "platform-apikeys", region: "eu-west-1" },
    });
  });

  it("reports every bad setting at once, naming its config key", () => {
    expect(() =>
      settingsFrom({
        "apikeys-backend:prefix": "Team_A",
        "apikeys-backend:logRetentionDays": "10",
        "apikeys-backend:existingBackend": JSON.stringify({ functionPrefix: "", region: "Frankfurt" }),
      }),
    ).toThrow(
      [
        "invalid stack config:",
        "apikeys-backend:prefix must match ^[a-z][a-z0-9-]{0,39}$, got \"Team_A\"",
        "apikeys-backend:logRetentionDays must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got 10",
        'apikeys-backend:existingBackend.functionPrefix must be a Lambda function name prefix, got ""',
        'apikeys-backend:existingBackend.region must be an AWS region such as "eu-west-1", got "Frankfurt"',
      ].join("\n"),
    );
  });
});

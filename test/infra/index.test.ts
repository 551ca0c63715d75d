import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { useAwsMocks, valueOf } from "../support/awsMocks";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-infra-"));
const keysFile = path.join(scratch, "keys.yaml");
fs.writeFileSync(keysFile, "keys:\n  partner-x:\n    name: Partner X\n    owner: partnerships\n");

// The program reads its config when it loads: an existing backend, so it declares keys only.
const registered = useAwsMocks({
  "apikeys-backend:existingBackend": JSON.stringify({ functionPrefix: "team-keys", region: "eu-west-1" }),
  "apikeys-backend:keysFile": keysFile,
});

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe("the apikeys-backend program with apikeys-backend:existingBackend", () => {
  it("deploys no backend and declares the manifest's keys against the other team's functions", async () => {
    const program = await import("../../infra/index");
    await valueOf(program.keys["partner-x"]);
    expect(registered.filter((resource) => resource.type.startsWith("aws:"))).toEqual([]);
    const [key] = registered;
    expect(key.type).toBe("pulumi-nodejs:dynamic/apikeys:ApiKey");
    expect(key.inputs).toMatchObject({
      name: "Partner X",
      owner: "partnerships",
      region: "eu-west-1",
      functions: { create: "team-keys-create", read: "team-keys-read", update: "team-keys-update", delete: "team-keys-delete" },
    });
    expect(program.keyTableName).toBeUndefined();
    expect(program.authorizerArn).toBeUndefined();
    expect(await valueOf(program.functionNames)).toEqual({ create: "team-keys-create", read: "team-keys-read", update: "team-keys-update", delete: "team-keys-delete" });
  });
});

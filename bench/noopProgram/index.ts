/**
 * The benchmark's baseline program: one no-op dynamic resource per entry of the keys file (APIKEYS_KEYS_FILE), with
 * the same inputs an ApiKey gets, so `pulumi up` of it costs what the engine and a dynamic provider cost and nothing more.
 */
import * as pulumi from "@pulumi/pulumi";
import { randomUUID } from "node:crypto";
import { loadProgramManifest } from "../../manifest";

/** Answers at once and stores its inputs as outputs, as a provider with no backend would. */
const noopProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: randomUUID(), outs: inputs };
  },
};

/** A resource whose every operation is free. */
class NoopResource extends pulumi.dynamic.Resource {
  constructor(name: string, props: Record<string, unknown>) {
    super(noopProvider, name, props, undefined, "bench", "Noop");
  }
}

const keysFile = process.env.APIKEYS_KEYS_FILE;
if (!keysFile) throw new Error("APIKEYS_KEYS_FILE must name the keys file to declare");

for (const { id, declaration } of loadProgramManifest(keysFile).entries) new NoopResource(id, { ...declaration });

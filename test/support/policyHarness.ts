import type { Policy, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { API_KEY_TYPE } from "../../policy/apiKeyResource";

/** A resource as a test states it: its props, and optionally its name and type (an ApiKey named "partner-x" by default). */
export interface FakeResource {
  props: Record<string, unknown>;
  name?: string;
  type?: string;
}

/** The policy's config as the engine hands it over: the schema's defaults, overridden by `config`. */
function configOf(policy: Policy, config: Record<string, unknown>): () => any {
  const defaults = Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {}).map(([key, schema]) => [key, (schema as { default?: unknown }).default]));
  return () => ({ ...defaults, ...config });
}

function urnOf(resource: FakeResource): string {
  return `urn:pulumi:test::apikeys-backend::${resource.type ?? API_KEY_TYPE}::${resource.name ?? "partner-x"}`;
}

function notApplicable(reason?: string): never {
  throw new Error(`not applicable: ${reason}`);
}

/** Runs a resource policy's validateResource on one fake resource; returns the violations it reported. */
export async function resourceViolations(policy: ResourceValidationPolicy, resource: FakeResource, config: Record<string, unknown> = {}): Promise<string[]> {
  const violations: string[] = [];
  const args = {
    type: resource.type ?? API_KEY_TYPE,
    name: resource.name ?? "partner-x",
    urn: urnOf(resource),
    props: resource.props,
    opts: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], replaceOnChanges: [], retainOnDelete: false },
    stackTags: new Map(),
    getConfig: configOf(policy, config),
    notApplicable,
  } as unknown as ResourceValidationArgs;
  for (const validate of ([] as ((...a: any[]) => unknown)[]).concat(policy.validateResource ?? [])) {
    await validate(args, (message: string) => violations.push(message));
  }
  return violations;
}

/** Runs a stack policy's validateStack over fake resources; returns the violations with the URN each named. */
export async function stackViolations(
  policy: StackValidationPolicy,
  resources: FakeResource[],
  config: Record<string, unknown> = {},
): Promise<{ message: string; urn?: string }[]> {
  const violations: { message: string; urn?: string }[] = [];
  const policyResources = resources.map((resource) => ({ type: resource.type ?? API_KEY_TYPE, name: resource.name ?? "partner-x", urn: urnOf(resource), props: resource.props }) as unknown as PolicyResource);
  await policy.validateStack({ resources: policyResources, stackTags: new Map(), getConfig: configOf(policy, config), notApplicable }, (message, urn) => violations.push({ message, urn }));
  return violations;
}

/** The apikeys policy pack: `pulumi preview --policy-pack policy` checks every ApiKey of the stack against it. */
import { PolicyPack } from "@pulumi/policy";
import { apiKeyPolicies } from "./apiKeyPolicies";

new PolicyPack("apikeys", { policies: apiKeyPolicies() });

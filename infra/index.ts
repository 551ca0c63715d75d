/** The apikeys-backend program: the backend on AWS and the keys of keys.yaml, in one `pulumi up`. */
import * as pulumi from "@pulumi/pulumi";
import { defineStack } from "./defineStack";
import { readStackSettings } from "./stackSettings";

const stack = defineStack(readStackSettings(new pulumi.Config("apikeys-backend"), __dirname));

/** The key table's name (none with an existing backend). */
export const keyTableName = stack.keyTableName;
/** The audit table's name (none with an existing backend). */
export const auditTableName = stack.auditTableName;
/** The Lambda functions, by role. */
export const functionNames = stack.functionNames;
/** The verify function's ARN: what an HTTP API names as its Lambda REQUEST authorizer. */
export const authorizerArn = stack.authorizerArn;
/** The demo route behind the authorizer: `curl -H "x-api-key: <key>" <demoUrl>`. */
export const demoUrl = stack.demoUrl;
/** Per manifest entry: keyId, masked key, status and secret ARN (never the key). */
export const keys = stack.keys;

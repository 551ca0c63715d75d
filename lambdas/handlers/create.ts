import { issueKey } from "../operations/issueKey";
import { wrapOperation } from "../wrapOperation";

/** The create Lambda. */
export const handler = wrapOperation("create", issueKey);

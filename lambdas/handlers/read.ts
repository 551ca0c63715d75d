import { readKey } from "../operations/readKey";
import { wrapOperation } from "../wrapOperation";

/** The read Lambda. */
export const handler = wrapOperation("read", readKey);

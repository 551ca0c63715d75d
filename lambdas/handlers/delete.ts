import { deleteKey } from "../operations/deleteKey";
import { wrapOperation } from "../wrapOperation";

/** The delete Lambda. */
export const handler = wrapOperation("delete", deleteKey);

import { updateKey } from "../operations/updateKey";
import { wrapOperation } from "../wrapOperation";

/** The update Lambda. */
export const handler = wrapOperation("update", updateKey);

import { ValidationError, type FieldFailure } from "../../contract";

/** Throws a {@link ValidationError} for the first failure, naming its property. */
export function requireValid(failures: FieldFailure[]): void {
  const [first] = failures;
  if (first) throw new ValidationError(first.property, first.reason);
}

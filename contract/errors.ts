import { redactKeys } from "./redactKeys";

/** The error codes a Lambda returns and the provider understands. */
export const ErrorCode = {
  VALIDATION: "VALIDATION",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  INTERNAL: "INTERNAL",
} as const;
/** One of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The error part of a Lambda response: safe to show, never carries a key. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** The input property at fault, for validation errors. */
  property?: string;
}

/**
 * Base of the domain errors: each has a code that crosses the Lambda boundary. Its message never carries a key: any
 * value in it that parses as one is redacted, whatever the message quotes.
 */
export class ApiKeyError extends Error {
  override readonly name: string = "ApiKeyError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(redactKeys(message));
    // Set by hand rather than through Error's options argument, which Pulumi's program compiler does not type.
    if (options?.cause !== undefined) Object.defineProperty(this, "cause", { value: options.cause, writable: true, configurable: true });
  }

  /** The response body that reports this error. */
  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** An input broke a rule of the contract; `property` names it. */
export class ValidationError extends ApiKeyError {
  override readonly name = "ValidationError";
  /** The property at fault (redacted too: an unknown property may be named by a pasted key). */
  readonly property: string;
  constructor(property: string, reason: string, options?: { cause?: unknown }) {
    super(ErrorCode.VALIDATION, `${property}: ${reason}`, options);
    this.property = redactKeys(property);
  }

  override toBody(): ErrorBody {
    return { ...super.toBody(), property: this.property };
  }
}

/** The key does not exist, or was deleted. */
export class KeyNotFoundError extends ApiKeyError {
  override readonly name = "KeyNotFoundError";
  constructor(
    readonly keyId: string,
    options?: { cause?: unknown },
  ) {
    super(ErrorCode.NOT_FOUND, `key ${keyId} does not exist or was deleted`, options);
  }
}

/** A conditional write lost: someone else changed or created the item first. */
export class ConflictError extends ApiKeyError {
  override readonly name: string = "ConflictError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.CONFLICT, message, options);
  }
}

/**
 * A conditional write found the key's record at another revision than the one the write was computed from: someone
 * else changed the key in between. The caller reads the record again and decides again; if it keeps losing, the error
 * reaches the client as a conflict.
 */
export class StaleRecordError extends ConflictError {
  override readonly name = "StaleRecordError";
  constructor(
    readonly keyId: string,
    doing: string,
    options?: { cause?: unknown },
  ) {
    super(`key ${keyId} changed while ${doing} it; retry`, options);
  }
}

/** A Lambda call failed: names the function and the call, so an operator knows where to look. */
export class LambdaInvocationError extends ApiKeyError {
  override readonly name = "LambdaInvocationError";
  /** False when the function surely did nothing (it was not found, access was denied, or it refused the request). */
  readonly mayHaveRun: boolean;
  constructor(
    readonly functionName: string,
    readonly operation: string,
    message: string,
    options?: { cause?: unknown; code?: ErrorCode; mayHaveRun?: boolean },
  ) {
    super(options?.code ?? ErrorCode.INTERNAL, `${operation} via Lambda function "${functionName}": ${message}`, options);
    this.mayHaveRun = options?.mayHaveRun ?? true;
  }
}

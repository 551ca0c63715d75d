/** The CloudWatch namespace of the verify function's usage metrics. */
export const METRICS_NAMESPACE = "apikeys";

/** Count of verifications, by `service` and `code`, and by `service`, `keyId` and `code`. */
export const VERIFICATIONS_METRIC = "Verifications";

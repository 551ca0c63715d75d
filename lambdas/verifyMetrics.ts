import { MetricUnit, Metrics } from "@aws-lambda-powertools/metrics";
import { METRICS_NAMESPACE, VERIFICATIONS_METRIC, type VerifyResult } from "../contract";

let metrics: Metrics | undefined;

/**
 * Counts one verification as a CloudWatch embedded-metric-format log line: `Verifications` by code, and by key and
 * code when the key is known. Only the keyId and the code go out, never the key; CloudWatch turns the line into
 * metrics, so usage counts cost no table write.
 */
export function countVerification(result: VerifyResult, serviceName: string): void {
  metrics ??= new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  metrics.addDimension("code", result.code);
  if (result.keyId) metrics.addDimensions({ keyId: result.keyId, code: result.code });
  metrics.addMetric(VERIFICATIONS_METRIC, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

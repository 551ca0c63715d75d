/** An IAM policy condition block: operator to condition key to value(s). */
export type PolicyCondition = Record<string, Record<string, string | string[]>>;

/** One statement of an IAM identity policy or a KMS key policy. */
export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  /** Key policies name who; identity policies do not. */
  Principal?: { AWS: string | string[] } | { Service: string };
  Action: string[];
  Resource: string | string[];
  Condition?: PolicyCondition;
}

/** An IAM policy document. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

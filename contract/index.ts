/** The contract between the provider and the Lambdas: key format, validation, messages, errors, table layout. */
export * from "./backendFunctions";
export * from "./base62";
export * from "./crc32";
export * from "./errors";
export * from "./hashKey";
export * from "./keyFieldRules";
export * from "./keyFormat";
export * from "./messages";
export * from "./tableSchema";
export * from "./parseDuration";
export * from "./keyIdFor";
export * from "./sameValue";
export * from "./redactKeys";
export * from "./functionTimeouts";
export * from "./answerShapes";
export * from "./decodeAnswer";

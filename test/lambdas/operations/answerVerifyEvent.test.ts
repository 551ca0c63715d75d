import { keyFromHeaders } from "../../../lambdas/operations/answerVerifyEvent";

const KEY = "ak_0123456789ABCDEFGHIJKLMNOPQRST4PMbyp";

describe("keyFromHeaders", () => {
  it.each([
    ["x-api-key", { "x-api-key": KEY }],
    ["X-API-Key, as REST API passes it", { "X-API-Key": ` ${KEY} ` }],
    ["a bearer token", { authorization: `Bearer ${KEY}` }],
    ["a bearer token in Authorization", { Authorization: `bearer ${KEY}` }],
  ])("finds the key in %s", (_where, headers) => {
    expect(keyFromHeaders(headers)).toBe(KEY);
  });

  it.each([
    ["null headers", null],
    ["no headers", undefined],
    ["headers that are a string", "x-api-key: nope"],
    ["headers that are a list", [KEY]],
    ["an empty x-api-key", { "x-api-key": " " }],
    ["a Basic authorization", { authorization: "Basic dXNlcjpwYXNz" }],
    ["a bare key in Authorization", { authorization: KEY }],
    ["a header that is not a string", { "x-api-key": 7 }],
  ])("finds no key in %s", (_what, headers) => {
    expect(keyFromHeaders(headers)).toBeUndefined();
  });
});

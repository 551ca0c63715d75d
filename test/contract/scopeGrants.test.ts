import { missingScopes, scopeGrants } from "../../contract";

describe("scopeGrants", () => {
  it.each([
    ["orders:read", "orders:read", true],
    ["orders:read", "orders:write", false],
    ["*", "orders:read", true],
    ["*", "anything", true],
    ["orders:*", "orders:read", true],
    ["orders:*", "orders:items:write", true],
    ["orders:*", "orders:*", true],
    ["orders:*", "orders", false],
    ["orders:*", "orders:", false],
    ["orders:*", "ordersx:read", false],
    ["orders:*", "billing:read", false],
    ["orders*", "orders:read", false],
    ["or*ders", "orders", false],
    ["orders:read", "orders:*", false],
    ["orders:items:*", "orders:read", false],
  ])("a key holding %s %s required %s", (held, required, granted) => {
    expect(scopeGrants(held, required)).toBe(granted);
  });
});

describe("missingScopes", () => {
  it("lists the required scopes no held scope grants, in the order asked", () => {
    expect(missingScopes(["orders:*", "billing:read"], ["billing:write", "orders:read", "users:read"])).toEqual(["billing:write", "users:read"]);
  });

  it("finds nothing missing when nothing is required, even for a key without scopes", () => {
    expect(missingScopes([], [])).toEqual([]);
  });
});

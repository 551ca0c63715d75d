import { addressAllowed, formatCidr, parseCidr, parseIpAddress } from "../../contract";

function canonical(text: string): string {
  const parsed = parseCidr(text);
  if ("reason" in parsed) throw new Error(parsed.reason);
  return formatCidr(parsed.range);
}

describe("parseIpAddress", () => {
  it.each([
    ["203.0.113.7", 4],
    ["2001:db8::1", 6],
    ["::", 6],
    ["::ffff:203.0.113.7", 4],
    ["::FFFF:cb00:7107", 4],
    ["1:2:3:4:5:6:7:8", 6],
    ["64:ff9b::192.0.2.33", 6],
  ])("reads %s as IPv%s", (text, family) => {
    expect(parseIpAddress(text)?.family).toBe(family);
  });

  it.each(["", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "fe80::1%eth0", " 1.2.3.4", 7, undefined])("refuses %p", (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });
});

describe("parseCidr", () => {
  it.each([
    ["10.0.0.0/8", "10.0.0.0/8"],
    ["203.0.113.7", "203.0.113.7/32"],
    ["2001:DB8:0:0:0:0:0:0/32", "2001:db8::/32"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1/128"],
    ["::1", "::1/128"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["::/0", "::/0"],
    ["::ffff:10.0.0.0/104", "10.0.0.0/8"],
    ["::ffff:0:0/96", "0.0.0.0/0"],
  ])("writes %s as %s", (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it.each([
    ["10.0.0.0/33", /prefix outside \/0 to \/32/],
    ["2001:db8::/129", /prefix outside \/0 to \/128/],
    ["10.0.0.1/24", /bits set after its \/24 prefix: the range is 10\.0\.0\.0\/24/],
    ["10.0.0.0/8/8", /not an IPv4 or IPv6/],
    ["10.0.0.0/", /prefix outside/],
    ["::ffff:10.0.0.0/8", /IPv4-mapped range with a prefix outside \/96/],
  ])("refuses %s", (text, reason) => {
    const parsed = parseCidr(text);
    expect("reason" in parsed && parsed.reason).toMatch(reason);
  });
});

describe("addressAllowed", () => {
  it("admits an address inside a /32 and nothing next to it", () => {
    expect(addressAllowed(["203.0.113.7/32"], "203.0.113.7")).toBe(true);
    expect(addressAllowed(["203.0.113.7/32"], "203.0.113.8")).toBe(false);
    expect(addressAllowed(["203.0.113.7/32"], "203.0.113.6")).toBe(false);
  });

  it("admits the first and last address of a range, and not the ones just outside", () => {
    expect(addressAllowed(["198.51.100.0/24"], "198.51.100.0")).toBe(true);
    expect(addressAllowed(["198.51.100.0/24"], "198.51.100.255")).toBe(true);
    expect(addressAllowed(["198.51.100.0/24"], "198.51.99.255")).toBe(false);
    expect(addressAllowed(["198.51.100.0/24"], "198.51.101.0")).toBe(false);
  });

  it("admits every IPv4 address with 0.0.0.0/0, and no IPv6 one", () => {
    expect(addressAllowed(["0.0.0.0/0"], "255.255.255.255")).toBe(true);
    expect(addressAllowed(["0.0.0.0/0"], "2001:db8::1")).toBe(false);
  });

  it("admits every IPv6 address with ::/0, and no IPv4 one", () => {
    expect(addressAllowed(["::/0"], "2001:db8::1")).toBe(true);
    expect(addressAllowed(["::/0"], "10.0.0.1")).toBe(false);
  });

  it("matches IPv6 ranges at their prefix boundary", () => {
    expect(addressAllowed(["2001:db8::/32"], "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")).toBe(true);
    expect(addressAllowed(["2001:db8::/32"], "2001:db9::")).toBe(false);
    expect(addressAllowed(["2001:db8::1/128"], "2001:0DB8:0000::0001")).toBe(true);
  });

  it("treats an IPv4-mapped IPv6 address as the IPv4 address it maps", () => {
    expect(addressAllowed(["10.0.0.0/8"], "::ffff:10.1.2.3")).toBe(true);
    expect(addressAllowed(["10.0.0.0/8"], "::ffff:0a01:0203")).toBe(true);
    expect(addressAllowed(["10.0.0.0/8"], "::ffff:11.1.2.3")).toBe(false);
    // ::10.1.2.3 (IPv4-compatible, deprecated) is an IPv6 address, not the IPv4 one.
    expect(addressAllowed(["10.0.0.0/8"], "::10.1.2.3")).toBe(false);
  });

  it("admits nothing without an address, or with one that is not an address", () => {
    expect(addressAllowed(["0.0.0.0/0", "::/0"], undefined)).toBe(false);
    expect(addressAllowed(["0.0.0.0/0", "::/0"], "localhost")).toBe(false);
  });
});

/** An address as a number, with its family: IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) count as the IPv4 address. */
export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

/** A parsed CIDR range. */
export interface IpRange extends IpAddress {
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string): bigint | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1).map((octet) => (octet.length > 1 && octet.startsWith("0") ? NaN : Number(octet)));
  if (octets.some((octet) => !(octet >= 0 && octet <= 255))) return undefined;
  return octets.reduce((sum, octet) => (sum << 8n) | BigInt(octet), 0n);
}

function parseGroups(part: string): bigint[] | undefined {
  if (part === "") return [];
  const groups: bigint[] = [];
  const pieces = part.split(":");
  for (const [index, piece] of pieces.entries()) {
    if (index === pieces.length - 1 && piece.includes(".")) {
      const v4 = parseIpv4(piece);
      if (v4 === undefined) return undefined;
      groups.push(v4 >> 16n, v4 & 0xffffn);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) groups.push(BigInt(`0x${piece}`));
    else return undefined;
  }
  return groups;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0]);
  const tail = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<bigint>(missing).fill(0n), ...tail];
  return groups.reduce((sum, group) => (sum << 16n) | group, 0n);
}

/** Parses an IPv4 or IPv6 address (no zone index); IPv4-mapped IPv6 becomes IPv4. Undefined when it is not one. */
export function parseIpAddress(text: unknown): IpAddress | undefined {
  if (typeof text !== "string" || text.length > 45) return undefined;
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = text.includes(":") ? parseIpv6(text) : undefined;
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 & 0xffffffffn };
  return { family: 6, value: v6 };
}

function mask(family: 4 | 6, prefix: number): bigint {
  const bits = BITS[family];
  return ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
}

function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, index) => Number((value >> BigInt(16 * (7 - index))) & 0xffffn));
  // RFC 5952: the longest run of two or more zero groups (the first of equal ones) becomes "::".
  let best = { start: -1, length: 1 };
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > best.length) best = { start, length };
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}

/** The canonical text of an address: dotted IPv4, or RFC 5952 IPv6. */
export function formatIpAddress(address: IpAddress): string {
  if (address.family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 0xffn)).join(".");
  return formatIpv6(address.value);
}

/**
 * Parses a CIDR range ("10.0.0.0/8", "2001:db8::/32"; a bare address is its own /32 or /128). An IPv4-mapped IPv6
 * range (::ffff:0:0/96 and narrower) is the IPv4 range it maps. Refuses a range with bits set after its prefix, since
 * "10.1.2.3/8" reads as one address but means sixteen million. Returns the range or why it is none.
 */
export function parseCidr(text: string): { range: IpRange } | { reason: string } {
  const [addressText, prefixText, ...rest] = text.split("/");
  const address = parseIpAddress(addressText);
  if (!address || rest.length) return { reason: "is not an IPv4 or IPv6 address or CIDR range" };
  const written6 = addressText.includes(":");
  let prefix = prefixText === undefined ? BITS[address.family] : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (written6 && address.family === 4 && prefixText !== undefined) {
    // An IPv4-mapped range: its prefix counts the 96 bits of ::ffff:0:0 first.
    if (!(prefix >= 96 && prefix <= 128)) return { reason: "is an IPv4-mapped range with a prefix outside /96 to /128" };
    prefix -= 96;
  }
  if (!(prefix >= 0 && prefix <= BITS[address.family])) return { reason: `has a prefix outside /0 to /${BITS[address.family]}` };
  const network = address.value & mask(address.family, prefix);
  if (network !== address.value) return { reason: `has bits set after its /${prefix} prefix: the range is ${formatIpAddress({ family: address.family, value: network })}/${prefix}` };
  return { range: { family: address.family, value: network, prefix } };
}

/** The canonical text of a range: "10.0.0.0/8", "2001:db8::/32". */
export function formatCidr(range: IpRange): string {
  return `${formatIpAddress(range)}/${range.prefix}`;
}

/** True when `address` lies in `range` (an IPv4 address never lies in an IPv6 range, and the other way round). */
export function rangeContains(range: IpRange, address: IpAddress): boolean {
  return range.family === address.family && (address.value & mask(range.family, range.prefix)) === range.value;
}

/** True when the address `sourceIp` lies in one of `cidrs` (canonical ranges as the contract stores them). */
export function addressAllowed(cidrs: readonly string[], sourceIp: unknown): boolean {
  const address = parseIpAddress(sourceIp);
  if (!address) return false;
  return cidrs.some((cidr) => {
    const parsed = parseCidr(cidr);
    return "range" in parsed && rangeContains(parsed.range, address);
  });
}

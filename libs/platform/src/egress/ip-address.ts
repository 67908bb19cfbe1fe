import { BlockList, isIPv4, isIPv6 } from 'node:net';

// Classifies an IP address literal by what an outgoing request to it could reach. IPv6 forms
// that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that address, so
// "[::ffff:169.254.169.254]" cannot sneak past a rule written for "169.254.169.254".

export type AddressClass =
  | 'public'
  | 'private'
  | 'loopback'
  | 'link-local'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

type Rule = [AddressClass, string, number];

// First match wins: the specific metadata addresses come before the ranges that contain them.
const V4_RULES: Rule[] = [
  ['metadata', '169.254.169.254', 32],
  ['metadata', '100.100.100.200', 32],
  ['unspecified', '0.0.0.0', 8],
  ['loopback', '127.0.0.0', 8],
  ['link-local', '169.254.0.0', 16],
  ['private', '10.0.0.0', 8],
  ['private', '172.16.0.0', 12],
  ['private', '192.168.0.0', 16],
  ['private', '100.64.0.0', 10],
  ['multicast', '224.0.0.0', 4],
  ['reserved', '240.0.0.0', 4],
  ['reserved', '192.0.0.0', 24],
  ['reserved', '192.0.2.0', 24],
  ['reserved', '198.18.0.0', 15],
  ['reserved', '198.51.100.0', 24],
  ['reserved', '203.0.113.0', 24],
];

const V6_RULES: Rule[] = [
  ['metadata', 'fd00:ec2::254', 128],
  ['unspecified', '::', 128],
  ['loopback', '::1', 128],
  ['link-local', 'fe80::', 10],
  ['private', 'fc00::', 7],
  ['private', 'fec0::', 10],
  ['multicast', 'ff00::', 8],
  ['reserved', '2001:db8::', 32],
  ['reserved', '100::', 64],
  // Teredo hides its IPv4 endpoint; nothing legitimate needs it as an LLM endpoint.
  ['reserved', '2001::', 32],
];

function compile(rules: Rule[], family: 'ipv4' | 'ipv6'): Array<[AddressClass, BlockList]> {
  return rules.map(([cls, net, prefix]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, family);
    return [cls, list];
  });
}

const V4 = compile(V4_RULES, 'ipv4');
const V6 = compile(V6_RULES, 'ipv6');

/** Throws TypeError when `ip` is not an IP literal (callers check with isIP first). */
export function classifyAddress(ip: string): AddressClass {
  if (isIPv4(ip)) return classifyV4(ip);
  if (!isIPv6(ip)) throw new TypeError('not an IP address');
  const embedded = embeddedIPv4(ipv6Bytes(ip));
  if (embedded !== null) return classifyV4(embedded);
  for (const [cls, list] of V6) if (list.check(ip, 'ipv6')) return cls;
  return 'public';
}

function classifyV4(ip: string): AddressClass {
  for (const [cls, list] of V4) if (list.check(ip, 'ipv4')) return cls;
  return 'public';
}

/** The IPv4 address inside a mapped (::ffff:0:0/96), compatible (::/96), NAT64 or 6to4 form. */
function embeddedIPv4(b: number[]): string | null {
  const allZero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4 = (at: number) => b.slice(at, at + 4).join('.');
  if (allZero(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12);
  // ::a.b.c.d (deprecated "compatible"); :: and ::1 themselves are handled as IPv6.
  if (allZero(0, 12) && !(allZero(12, 15) && (b[15] === 0 || b[15] === 1))) return v4(12);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && allZero(4, 12)) return v4(12);
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2);
  return null;
}

/** The 16 bytes of an IPv6 literal (valid per isIPv6), including a dotted IPv4 tail. */
function ipv6Bytes(ip: string): number[] {
  let text = ip.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -dotted[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((g: string) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

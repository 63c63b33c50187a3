import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';

/**
 * The address a request really came from, for per-client limits. A forwarded header is believed only
 * when the platform sets it (Vercel overwrites `x-vercel-forwarded-for`) or when the socket peer is one of
 * the configured trusted proxies; otherwise anyone could rotate the header to reset their limit.
 */
export function trustedProxies(spec: string): BlockList {
  const list = new BlockList();
  for (const raw of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [addr, bits] = raw.split('/') as [string, string | undefined];
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(addr)) throw new Error(`TRUSTED_PROXIES: ${raw} is not an IP address or CIDR range`);
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return list;
}

function contains(list: BlockList, addr: string): boolean {
  const v = isIP(addr);
  return v !== 0 && list.check(addr, v === 6 ? 'ipv6' : 'ipv4');
}

export function clientAddress(c: Context, proxies: BlockList, onVercel: boolean): string {
  if (onVercel) {
    const v = c.req.header('x-vercel-forwarded-for')?.split(',')[0]?.trim();
    if (v && isIP(v)) return v;
  }
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
  let addr = (socket ?? 'unknown').replace(/^::ffff:/, '');
  if (!contains(proxies, addr)) return addr;
  // Walk the chain from the nearest hop outwards; the first address that is not one of our proxies is the client.
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim().replace(/^::ffff:/, ''))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (!isIP(hop)) break;
    addr = hop;
    if (!contains(proxies, hop)) break;
  }
  return addr;
}

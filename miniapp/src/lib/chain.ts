/**
 * The public record chain's hash recipe and its checker, in plain JavaScript: the same module runs in the
 * visitor's browser (H5), in WeChat (no WebCrypto there) and in `npm run verify`. No Taro, no DOM, no Node.
 *
 * Recipe (supabase/migrations/20261130005000_trust.sql computes the same):
 *   canonical JSON: no whitespace; object keys sorted by Unicode code point; strings as JSON.stringify
 *   writes them; numbers only as safe integers in plain decimal; true, false, null; arrays in order.
 *   contentHash = sha256(canonical(content)); hash = sha256(canonical({ at, communityId, contentHash, kind,
 *   prevHash, recordId, seq })); SHA-256 over the UTF-8 bytes, lower-case hex; entry 1's prevHash is 64 zeros.
 */

export const GENESIS = '0'.repeat(64);
export const EXPORT_FORMAT = 'cunju-chain/1';

export interface ChainEntry {
  seq: number;
  at: string;
  kind: string;
  recordId: string;
  contentHash: string;
  prevHash: string;
  hash: string;
  /** The record as it reads today, rebuilt by the server from the record itself. */
  content?: unknown;
}

export interface ChainHead {
  seq: number;
  hash: string;
  at: string;
}

export interface ChainExport {
  format: string;
  community: { id: string; name?: string; [k: string]: unknown };
  head: ChainHead | null;
  exportedAt?: string;
  entries: ChainEntry[];
}

export type BreakReason = 'format' | 'sequence' | 'link' | 'hash' | 'content' | 'missing_content' | 'head' | 'anchor';

/** The first place where the chain does not hold, said plainly. */
export interface ChainBreak {
  seq: number | null;
  reason: BreakReason;
  message: string;
}

// ---------------------------------------------------------------- canonical JSON

function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** The canonical text of a JSON value. Throws on anything the recipe does not allow (a fraction, undefined). */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) throw new Error(`not a safe integer: ${value}`);
      return String(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort(compareCodePoints);
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw new Error(`not JSON: ${typeof value}`);
  }
}

// ---------------------------------------------------------------- SHA-256 (FIPS 180-4)

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/** UTF-8 bytes of a string (a lone surrogate becomes U+FFFD, as TextEncoder does). */
export function utf8(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = 0xfffd;
    } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out[n++] = c;
    else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    } else {
      out[n++] = 0xf0 | (c >> 18);
      out[n++] = 0x80 | ((c >> 12) & 63);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    }
  }
  return out.subarray(0, n);
}

export function sha256Bytes(bytes: Uint8Array): string {
  const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const total = ((bytes.length + 9 + 63) >> 6) << 6;
  const msg = new Uint8Array(total);
  msg.set(bytes);
  msg[bytes.length] = 0x80;
  const bits = bytes.length * 8;
  // Length in bits, big-endian, in the last 8 bytes (inputs here are far below 2^53 bits).
  const hi = Math.floor(bits / 0x100000000);
  const lo = bits >>> 0;
  msg[total - 8] = hi >>> 24;
  msg[total - 7] = (hi >>> 16) & 255;
  msg[total - 6] = (hi >>> 8) & 255;
  msg[total - 5] = hi & 255;
  msg[total - 4] = lo >>> 24;
  msg[total - 3] = (lo >>> 16) & 255;
  msg[total - 2] = (lo >>> 8) & 255;
  msg[total - 1] = lo & 255;
  const w = new Uint32Array(64);
  for (let off = 0; off < total; off += 64) {
    for (let i = 0; i < 16; i++) {
      const j = off + i * 4;
      w[i] = (msg[j]! << 24) | (msg[j + 1]! << 16) | (msg[j + 2]! << 8) | msg[j + 3]!;
    }
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!;
      const b = w[i - 2]!;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
    }
    let [a, b, c, d, e, f, g, hh] = h as [number, number, number, number, number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[i]! + w[i]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0;
    h[5] = (h[5]! + f) | 0;
    h[6] = (h[6]! + g) | 0;
    h[7] = (h[7]! + hh) | 0;
  }
  return h.map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
}

export const sha256Hex = (text: string): string => sha256Bytes(utf8(text));

// ---------------------------------------------------------------- the chain

export const contentHash = (content: unknown): string => sha256Hex(canonicalJson(content));

export function entryHash(communityId: string, e: Pick<ChainEntry, 'seq' | 'at' | 'kind' | 'recordId' | 'contentHash' | 'prevHash'>): string {
  return sha256Hex(
    canonicalJson({
      at: e.at,
      communityId,
      contentHash: e.contentHash,
      kind: e.kind,
      prevHash: e.prevHash,
      recordId: e.recordId,
      seq: e.seq,
    }),
  );
}

/** The short form printed on paper (积分公示, posters): the first 16 hex digits in groups of four. */
export function shortHash(hash: string): string {
  return (hash.slice(0, 16).match(/.{1,4}/g) ?? []).join(' ');
}

const broken = (seq: number | null, reason: BreakReason, message: string): ChainBreak => ({ seq, reason, message });

/**
 * Checks entries one by one, in order from entry 1 (the browser feeds it page by page). `push` answers the
 * first break it finds (and keeps answering it); `finish` compares the last entry with the published head.
 */
export class ChainChecker {
  private prev: ChainEntry | null = null;
  private bad: ChainBreak | null = null;
  checked = 0;
  constructor(readonly communityId: string) {}

  get broken(): ChainBreak | null {
    return this.bad;
  }

  push(e: ChainEntry): ChainBreak | null {
    if (this.bad) return this.bad;
    const seq = typeof e?.seq === 'number' ? e.seq : null;
    if (
      seq === null ||
      typeof e.hash !== 'string' ||
      typeof e.prevHash !== 'string' ||
      typeof e.contentHash !== 'string' ||
      typeof e.at !== 'string' ||
      typeof e.kind !== 'string' ||
      typeof e.recordId !== 'string'
    ) {
      this.bad = broken(seq, 'format', `第 ${this.checked + 1} 条记录的格式不对，无法核验`);
      return this.bad;
    }
    const expected = (this.prev?.seq ?? 0) + 1;
    if (seq !== expected) {
      this.bad = broken(seq, 'sequence', seq > expected ? `第 ${expected} 条到第 ${seq - 1} 条记录不见了（被删除过）` : `第 ${seq} 条记录重复或顺序错乱`);
      return this.bad;
    }
    if (e.prevHash !== (this.prev?.hash ?? GENESIS)) {
      this.bad = broken(seq, 'link', seq === 1 ? '第 1 条记录的开头不对，记录链被换过' : `第 ${seq} 条记录和第 ${seq - 1} 条接不上：前面的记录被改动或替换过`);
      return this.bad;
    }
    if (entryHash(this.communityId, e) !== e.hash) {
      this.bad = broken(seq, 'hash', `第 ${seq} 条记录的登记信息被改动过（校验码不符）`);
      return this.bad;
    }
    if (e.content === undefined || e.content === null) {
      this.bad = broken(seq, 'missing_content', `第 ${seq} 条记录的内容找不到了，无法核对`);
      return this.bad;
    }
    let computed = '';
    try {
      computed = contentHash(e.content);
    } catch {
      computed = '';
    }
    if (computed !== e.contentHash) {
      this.bad = broken(seq, 'content', `第 ${seq} 条记录的内容和公开时登记的不一致：内容被改动过`);
      return this.bad;
    }
    this.prev = e;
    this.checked++;
    return null;
  }

  /** After the last entry: it must be the head the server published (nothing cut off at the end). */
  finish(head: ChainHead | null): ChainBreak | null {
    if (this.bad) return this.bad;
    const last = this.prev;
    if (!head ? last !== null : !last || last.seq !== head.seq || last.hash !== head.hash) {
      this.bad = broken(last?.seq ?? null, 'head', '记录链的最后一条和公布的最新记录不一致：末尾的记录被删除或替换过');
      return this.bad;
    }
    return null;
  }

  /** A hash printed on paper (seq and the first hex digits): does this chain say the same? Call after pushing that entry. */
  lastHash(): string | null {
    return this.prev?.hash ?? null;
  }
}

/** Checks a whole export (one community). `anchor`: a seq and hash prefix from paper to compare with. */
export function verifyChain(exp: ChainExport, anchor?: { seq: number; hash: string }): { ok: boolean; checked: number; broken: ChainBreak | null } {
  if (!exp || exp.format !== EXPORT_FORMAT || !exp.community?.id || !Array.isArray(exp.entries)) {
    return { ok: false, checked: 0, broken: broken(null, 'format', `不是村居通公开记录链的导出文件（应为 ${EXPORT_FORMAT}）`) };
  }
  const checker = new ChainChecker(exp.community.id);
  let anchored: ChainBreak | null = null;
  const prefix = anchor ? anchor.hash.replace(/\s+/g, '').toLowerCase() : '';
  for (const e of exp.entries) {
    if (checker.push(e)) break;
    if (anchor && e.seq === anchor.seq && !e.hash.startsWith(prefix)) {
      anchored = broken(e.seq, 'anchor', `第 ${e.seq} 条记录的校验码和纸质公示上的（${anchor.hash}）不一致`);
    }
  }
  const b =
    checker.finish(exp.head) ??
    anchored ??
    (anchor && !exp.entries.some((e) => e.seq === anchor.seq) ? broken(anchor.seq, 'anchor', `导出文件里没有第 ${anchor.seq} 条记录`) : null);
  return { ok: b === null, checked: checker.checked, broken: b };
}

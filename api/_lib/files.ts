import { createHash } from 'node:crypto';
import sharp from 'sharp';

/**
 * What an uploaded file really is, decided by its bytes (never by its name or the type the phone claims),
 * and what we store: photos re-encoded as JPEG, turned upright, at most 2048 px on the long side, with
 * every piece of metadata removed (EXIF carries the GPS position where a photo was taken — personal data;
 * a report's place is given explicitly instead); PDFs kept as they are.
 */
export const MAX_BYTES = { photo: 10 * 1024 * 1024, document: 20 * 1024 * 1024 } as const;
const MAX_SIDE = 2048;

export type Detected = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif' | 'image/heic' | 'application/pdf' | null;

export function detectType(b: Buffer): Detected {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.toString('latin1', 0, 6))) return 'image/gif';
  if (b.length >= 12 && b.toString('latin1', 4, 8) === 'ftyp' && /^(heic|heix|mif1|msf1)$/.test(b.toString('latin1', 8, 12))) return 'image/heic';
  if (b.length >= 5 && b.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
  return null;
}

export type Processed =
  | { ok: true; body: Buffer; contentType: 'image/jpeg' | 'application/pdf'; size: number; sha256: string; width: number | null; height: number | null }
  | { ok: false; refusal: string; code: 'files.type_not_allowed' | 'files.too_large' };

export async function processUpload(bytes: Buffer, kind: 'photo' | 'document'): Promise<Processed> {
  if (bytes.length === 0) return { ok: false, refusal: '文件是空的', code: 'files.type_not_allowed' };
  if (bytes.length > MAX_BYTES[kind]) return { ok: false, refusal: `文件超过 ${MAX_BYTES[kind] / 1024 / 1024}MB`, code: 'files.too_large' };
  const type = detectType(bytes);
  if (type === 'application/pdf') {
    if (kind !== 'document') return { ok: false, refusal: '这里只能上传照片', code: 'files.type_not_allowed' };
    return { ok: true, body: bytes, contentType: 'application/pdf', size: bytes.length, sha256: sha256(bytes), width: null, height: null };
  }
  if (type === 'image/jpeg' || type === 'image/png' || type === 'image/webp' || type === 'image/gif') {
    try {
      // rotate() applies the EXIF orientation before the metadata is dropped (sharp keeps none unless asked).
      const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: 100_000_000, animated: false })
        .rotate()
        .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 82, mozjpeg: true })
        .toBuffer({ resolveWithObject: true });
      return { ok: true, body: data, contentType: 'image/jpeg', size: data.length, sha256: sha256(data), width: info.width, height: info.height };
    } catch {
      return { ok: false, refusal: '照片已损坏，无法打开', code: 'files.type_not_allowed' };
    }
  }
  if (type === 'image/heic') return { ok: false, refusal: '请在手机设置里把照片格式改为“兼容性最佳”（JPG）后再传', code: 'files.type_not_allowed' };
  return { ok: false, refusal: '只能上传照片（JPG、PNG、WebP）或 PDF 文件', code: 'files.type_not_allowed' };
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

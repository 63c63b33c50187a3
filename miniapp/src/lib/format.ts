import { NOTICE_CATEGORY_LABEL, POINT_ENTRY_LABEL, REVIEWED_NOTICE_CATEGORIES, ROLE_LABEL, VERIFICATION_LABEL } from '@contracts/vocab';
import { shanghai, shanghaiMonth, shanghaiTime } from '@contracts/time';
/** Display helpers: dates in Asia/Shanghai, role names in Chinese. */
export const roleLabel: Record<string, string> = ROLE_LABEL;

export const verificationLabel: Record<string, string> = VERIFICATION_LABEL;

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso || Number.isNaN(new Date(iso).getTime())) return '';
  const s = shanghai(iso);
  return `${s.year}年${s.month}月${s.day}日 ${shanghaiTime(iso)}`;
}

export function communityKindLabel(kind: string): string {
  return kind === 'village' ? '村' : '社区';
}

export const categoryLabel: Record<string, string> = NOTICE_CATEGORY_LABEL;

/** Disclosures that the supervisory committee reviews before residents see them. */
export const reviewedCategories: readonly string[] = REVIEWED_NOTICE_CATEGORIES;

/** Fen (integer) to 元 with thousands separators: 360000 → "3,600.00". */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/** "12.50" → 1250; null when not a positive amount with at most two decimals. */
export function yuanToFen(text: string): number | null {
  const m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : null;
}

export function formatDate(iso: string | null | undefined): string {
  const full = formatDateTime(iso);
  return full.split(' ')[0] ?? '';
}

/** "11月25日 周二 09:00–11:30" in Asia/Shanghai. */
export function formatSpan(startIso: string, endIso: string): string {
  const s = shanghai(startIso);
  return `${s.month}月${s.day}日 周${'日一二三四五六'[s.weekday]} ${shanghaiTime(startIso)}–${shanghaiTime(endIso)}`;
}

export function formatMinutes(min: number): string {
  const h = Math.floor(min / 60);
  const m = min % 60;
  return h ? `${h} 小时${m ? ` ${m} 分` : ''}` : `${m} 分钟`;
}

/** The previous month as YYYY-MM, in Asia/Shanghai. */
export function previousMonth(): string {
  return shanghaiMonth(Date.now(), -1);
}

export const entryKindLabel: Record<string, string> = POINT_ENTRY_LABEL;

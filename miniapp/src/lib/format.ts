import { shanghai, shanghaiMonth, shanghaiTime } from '@contracts/time';
/** Display helpers: dates in Asia/Shanghai, role names in Chinese. */
export const roleLabel: Record<string, string> = {
  resident: '居民',
  grid_worker: '网格员',
  clerk: '便民服务中心工作人员',
  committee: '两委成员',
  supervisor: '监督委员会成员',
  admin: '街道管理员',
};

export const verificationLabel: Record<string, string> = {
  pending: '审核中',
  approved: '已通过',
  refused: '未通过',
  withdrawn: '已撤回',
};

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso || Number.isNaN(new Date(iso).getTime())) return '';
  const s = shanghai(iso);
  return `${s.year}年${s.month}月${s.day}日 ${shanghaiTime(iso)}`;
}

export function communityKindLabel(kind: string): string {
  return kind === 'village' ? '村' : '社区';
}

export const categoryLabel: Record<string, string> = {
  policy: '惠民政策',
  routine: '常规事务',
  major: '重大事项',
  temporary: '临时通知',
  hotspot: '热点回应',
  party: '党务公开',
  affairs: '村(居)务公开',
  finance: '财务公开',
  emergency: '应急通知',
};

/** Disclosures that the supervisory committee reviews before residents see them. */
export const reviewedCategories = ['affairs', 'finance'];

/** Fen (integer) to 元 with thousands separators: 360000 → "3,600.00". */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
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

export const entryKindLabel: Record<string, string> = {
  service: '志愿服务', award: '奖励', deduction: '扣分', correction: '更正', objection: '异议冲销', redemption: '兑换', refund: '退回',
};

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
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  // Shift to UTC+8 and read the UTC fields, so the result does not depend on the phone's time zone.
  const s = new Date(d.getTime() + 8 * 3600 * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${s.getUTCFullYear()}年${s.getUTCMonth() + 1}月${s.getUTCDate()}日 ${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}`;
}

export function communityKindLabel(kind: string): string {
  return kind === 'village' ? '村' : '社区';
}

import Taro from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import type { ReportSummary } from '@/api/grid';
import { formatDateTime } from '@/lib/format';

export const statusTone = (r: Pick<ReportSummary, 'status' | 'overdue'>) =>
  r.overdue ? 'bad' : r.status === 'confirmed' || r.status === 'resolved' ? 'ok' : 'warn';

/** One 随手拍 in a list: what, where, its state and level, and the deadline (overdue in red). */
export function ReportItem({ r, showDue = false }: { r: ReportSummary; showDue?: boolean }) {
  const due = r.status === 'reported' ? r.acceptDue : r.solveDue;
  return (
    <View className="list-item report-item" role="link" onClick={() => Taro.navigateTo({ url: `/packages/grid/report/index?id=${r.id}` })}>
      <View className="row">
        <Text className="text">
          {r.categoryName} · {r.place ?? '未写地点'}
        </Text>
        <Text className={`tag ${statusTone(r)}`}>{r.statusLabel}</Text>
      </View>
      <Text className="report-desc">{r.description.length > 40 ? `${r.description.slice(0, 40)}…` : r.description}</Text>
      <Text className={`report-meta ${r.overdue ? 'overdue' : ''}`}>
        {r.levelLabel}办理 · {formatDateTime(r.createdAt)}
        {showDue && due ? ` · ${r.overdue ? '已超时，' : ''}${r.status === 'reported' ? '受理' : '办结'}时限 ${formatDateTime(due)}` : ''}
        {r.followers > 1 ? ` · ${r.followers} 人反映` : ''}
      </Text>
    </View>
  );
}

import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Button, Picker } from '@tarojs/components';
import { Page } from '@/components/Page';
import { ErrorState, ListFooter, Loading } from '@/components/StateView';
import { adminApi, downloadSheet, type TrendPoint } from '@/api/admin';
import type { Figures } from '@contracts/admin';
import { usePageData, usePagedList } from '@/lib/pageData';
import { runAction, toast } from '@/lib/feedback';
import { shanghaiDate, shanghaiDateTime } from '@contracts/time';
import { AdminFrame } from '../components/AdminFrame';
import { TableScroll } from '../components/TableScroll';
import '../admin.css';

export default function DashboardPage() {
  const { params } = useRouter();
  return <Page>{() => <Dashboard streetId={params.streetId} communityId={params.id} />}</Page>;
}

type Period = { key: string; label: string; from: string; to: string };
function periods(): Period[] {
  const today = shanghaiDate();
  const [y, m] = today.split('-').map(Number) as [number, number];
  const first = (yy: number, mm: number) => `${yy + Math.floor((mm - 1) / 12)}-${String(((((mm - 1) % 12) + 12) % 12) + 1).padStart(2, '0')}-01`;
  const tomorrow = shanghaiDate(Date.now(), 1);
  return [
    { key: 'month', label: '本月', from: first(y, m), to: tomorrow },
    { key: 'last', label: '上月', from: m === 1 ? `${y - 1}-12-01` : first(y, m - 1), to: first(y, m) },
    { key: 'quarter', label: '近三个月', from: m <= 2 ? `${y - 1}-${String(m + 10).padStart(2, '0')}-01` : first(y, m - 2), to: tomorrow },
    { key: 'year', label: '今年', from: `${y}-01-01`, to: tomorrow },
  ];
}

/** The figures a street report needs, in order, with where each one's list lives. */
const COLUMNS: Array<{ key: Exclude<keyof Figures, 'reportsByStatus'>; label: string; unit?: string; list?: (c: string) => string }> = [
  { key: 'casesReceived', label: '收到办件' },
  { key: 'casesOpen', label: '在办', list: () => '/packages/hall/desk/index' },
  { key: 'casesOverdue', label: '超期', list: () => '/packages/hall/desk/index' },
  { key: 'averageHandlingDays', label: '平均办理天数' },
  { key: 'averageCaseRating', label: '办件评价' },
  { key: 'reportsReceived', label: '随手拍' },
  { key: 'reportsOpen', label: '未办结', list: (c) => `/packages/grid/desk/index?communityId=${c}` },
  { key: 'reportsOverdue', label: '超时', list: (c) => `/packages/grid/desk/index?communityId=${c}` },
  { key: 'reportsResolvedOnTimeRate', label: '按时办结', unit: '%' },
  { key: 'topicsRaised', label: '提出议题' },
  { key: 'topicsTakenUp', label: '列入议事' },
  { key: 'topicsDecided', label: '形成决议' },
  { key: 'pollTurnoutRate', label: '投票参与', unit: '%' },
  { key: 'volunteerHours', label: '志愿小时' },
  { key: 'activeVolunteers', label: '志愿者' },
  { key: 'pointsIssued', label: '发放积分' },
  { key: 'pointsSpent', label: '兑换积分' },
  { key: 'pointsOutstanding', label: '未用积分' },
  { key: 'importantUnreadHouseholds', label: '重要通知未读户次', list: (c) => `/packages/notices/manage/index?communityId=${c}` },
  { key: 'verificationsPending', label: '待审认证', list: (c) => `/packages/staff/verifications/index?communityId=${c}` },
  { key: 'oldestVerificationDays', label: '最久待审天数' },
];
const show = (v: number | null, unit = '') => (v == null ? '—' : `${v}${unit}`);

function Dashboard({ streetId, communityId }: { streetId?: string; communityId?: string }) {
  const all = periods();
  const [period, setPeriod] = useState(all[0]!);
  return (
    <AdminFrame section="dashboard" communityId={communityId}>
      <View className="card stack">
        <View className="choices-row row">
          <Picker
            mode="selector"
            range={all.map((p) => p.label)}
            value={all.findIndex((p) => p.key === period.key)}
            onChange={(e) => setPeriod(all[Number(e.detail.value)] ?? all[0]!)}
          >
            <View className="input picker dashboard-period">
              统计期间：{period.label}（{period.from} 起）
            </View>
          </Picker>
        </View>
        <Text className="muted">所有数字都由系统从办件、随手拍、议事、志愿和积分的记录里算出，不能手填。点带下划线的数字看对应的名单。</Text>
      </View>
      {communityId ? <CommunityView id={communityId} period={period} /> : streetId ? <StreetView streetId={streetId} period={period} /> : null}
      <Trend scope={communityId ? { communityId } : { streetId }} />
    </AdminFrame>
  );
}

function StreetView({ streetId, period }: { streetId: string; period: Period }) {
  const list = usePagedList((cursor) => adminApi.streetDashboard(streetId, period.from, period.to, false, cursor), [streetId, period.key]);
  const state = list.state;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void list.reload()} />;
  const rows = state.data;
  return (
    <View className="card stack street-dashboard">
      <View className="row">
        <Text className="card-title">各社区并排</Text>
        <Button
          className="btn secondary dashboard-export"
          onClick={() =>
            void downloadSheet(`/admin/streets/${streetId}/dashboard/export?from=${period.from}&to=${period.to}`, `街道看板_${period.from}.xlsx`).then(
              () => toast('已导出'),
              () => toast('没有导出成功'),
            )
          }
        >
          导出 Excel
        </Button>
      </View>
      <ComputedAt
        at={rows.reduce((a, r) => (a && Date.parse(a) < Date.parse(r.computedAt) ? a : r.computedAt), '')}
        onRefresh={() => runAction(() => adminApi.streetDashboard(streetId, period.from, period.to, true), '已重新计算', list.reload)}
      />
      <TableScroll label="各社区并排">
        <View className="table" role="table">
          <View className="table-row head" role="row">
            <View className="table-cell" role="columnheader">
              社区/村
            </View>
            {COLUMNS.map((c) => (
              <View key={c.key} className="table-cell num" role="columnheader">
                {c.label}
              </View>
            ))}
          </View>
          {rows.map((r) => (
            <View key={r.communityId} className="table-row dashboard-row" role="row">
              <View className="table-cell link" role="cell" onClick={() => Taro.navigateTo({ url: `/packages/admin/dashboard/index?id=${r.communityId}` })}>
                {r.name}
                {r.archived ? '（停用）' : ''}
              </View>
              {COLUMNS.map((c) => (
                <View key={c.key} className="table-cell num" role="cell">
                  {show(r.figures[c.key] as number | null, c.unit)}
                </View>
              ))}
            </View>
          ))}
        </View>
      </TableScroll>
      <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
    </View>
  );
}

function CommunityView({ id, period }: { id: string; period: Period }) {
  const [state, reload] = usePageData(() => adminApi.communityDashboard(id, period.from, period.to), [id, period.key]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error')
    return (
      <ErrorState
        message={state.code === 'admin.community_not_found' ? '没有找到这个社区，或您不能查看它的看板。' : state.message}
        onRetry={() => void reload()}
      />
    );
  const d = state.data;
  return (
    <View className="stack community-dashboard">
      <View className="card stack">
        <View className="row">
          <Text className="card-title">{d.name}</Text>
          <Button
            className="btn secondary dashboard-export"
            onClick={() =>
              void downloadSheet(`/admin/communities/${id}/export?kind=dashboard&from=${period.from}&to=${period.to}`, `${d.name}_看板.xlsx`).then(
                () => toast('已导出'),
                () => toast('没有导出成功'),
              )
            }
          >
            导出 Excel
          </Button>
        </View>
        <ComputedAt at={d.computedAt} onRefresh={() => runAction(() => adminApi.communityDashboard(id, period.from, period.to, true), '已重新计算', reload)} />
        <View className="figure-cards">
          {COLUMNS.map((c) => (
            <View
              key={c.key}
              className={`figure-card ${c.list ? 'link' : ''}`}
              role={c.list ? 'link' : undefined}
              onClick={() => {
                if (c.list) void Taro.navigateTo({ url: c.list(id) });
              }}
            >
              <Text className="figure-card-value">{show(d.figures[c.key] as number | null, c.unit)}</Text>
              <Text className="figure-card-label">{c.label}</Text>
            </View>
          ))}
        </View>
      </View>
      <View className="card stack">
        <Text className="card-title">各网格</Text>
        <TableScroll label="各网格">
          <View className="table" role="table">
            <View className="table-row head" role="row">
              {['网格', '网格员', '住户', '随手拍', '未办结', '超时', '走访户数'].map((h) => (
                <View key={h} className="table-cell" role="columnheader">
                  {h}
                </View>
              ))}
            </View>
            {d.grids.map((g) => (
              <View key={g.gridId} className="table-row" role="row">
                <View className="table-cell" role="cell">
                  {g.name}
                </View>
                <View className="table-cell" role="cell">
                  {g.workers.join('、') || '—'}
                </View>
                <View className="table-cell num" role="cell">
                  {g.households}
                </View>
                <View className="table-cell num" role="cell">
                  {g.reportsReceived}
                </View>
                <View className="table-cell num" role="cell">
                  {g.reportsOpen}
                </View>
                <View className="table-cell num" role="cell">
                  {g.reportsOverdue}
                </View>
                <View className="table-cell num" role="cell">
                  {g.householdsVisited}
                </View>
              </View>
            ))}
          </View>
        </TableScroll>
      </View>
      <View className="card stack">
        <Text className="card-title">导出台账</Text>
        <View className="choices">
          {(
            [
              ['households', '住户'],
              ['members', '人员'],
              ['cases', '办件'],
              ['reports', '随手拍'],
              ['ledger', '积分流水'],
              ['handouts', '兑换发放'],
            ] as const
          ).map(([k, label]) => (
            <Button
              key={k}
              className={`btn plain export-${k}`}
              onClick={() =>
                void downloadSheet(`/admin/communities/${id}/export?kind=${k}&from=${period.from}&to=${period.to}`, `${d.name}_${label}.xlsx`).then(
                  () => toast('已导出'),
                  () => toast('没有导出成功'),
                )
              }
            >
              {label}
            </Button>
          ))}
        </View>
      </View>
    </View>
  );
}

const TREND_METRICS: Array<{ key: Exclude<keyof TrendPoint, 'month'>; label: string }> = [
  { key: 'casesReceived', label: '收到办件' },
  { key: 'casesCompleted', label: '办结办件' },
  { key: 'reportsReceived', label: '随手拍' },
  { key: 'reportsResolvedOnTimeRate', label: '随手拍按时办结率' },
  { key: 'volunteerHours', label: '志愿小时' },
  { key: 'pointsIssued', label: '发放积分' },
];

/** Twelve months as bars (Views sized by value: the same in WeChat and the browser, no chart library to ship). */
function Trend({ scope }: { scope: { streetId?: string; communityId?: string } }) {
  const [state] = usePageData(() => adminApi.trend(scope), [scope.streetId, scope.communityId]);
  const [metric, setMetric] = useState(0);
  if (state.status !== 'ready') return state.status === 'loading' ? <Loading /> : <ErrorState message={state.message} />;
  const m = TREND_METRICS[metric]!;
  const values = state.data.items.map((p) => (p[m.key] as number | null) ?? 0);
  const max = Math.max(1, ...values);
  return (
    <View className="card stack trend">
      <Picker mode="selector" range={TREND_METRICS.map((x) => x.label)} value={metric} onChange={(e) => setMetric(Number(e.detail.value))}>
        <View className="input picker trend-metric">近 12 个月：{m.label}（点此换）</View>
      </Picker>
      <View className="bars" role="img" aria-label={`${m.label}：${state.data.items.map((p, i) => `${p.month} ${values[i]}`).join('，')}`}>
        {state.data.items.map((p, i) => (
          <View key={p.month} className="bar-col">
            <Text className="bar-value">{values[i]}</Text>
            <View className="bar" style={{ height: `${Math.round((values[i]! / max) * 100)}%` }} />
            <Text className="bar-label">{Number(p.month.slice(5))}月</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

/** When the figures were computed (they are kept up to ten minutes), and a button to compute them now
 * (through runAction: it says whether that worked, then the page reloads the answer it kept). */
function ComputedAt({ at, onRefresh }: { at: string; onRefresh: () => Promise<unknown> }) {
  const [busy, setBusy] = useState(false);
  if (!at) return null;
  return (
    <View className="row dashboard-computed">
      <Text className="muted">数字算于 {shanghaiDateTime(at)}（算好的数字保留 10 分钟）</Text>
      <Button
        className="btn secondary dashboard-refresh"
        loading={busy}
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void onRefresh().finally(() => setBusy(false));
        }}
      >
        重新计算
      </Button>
    </View>
  );
}

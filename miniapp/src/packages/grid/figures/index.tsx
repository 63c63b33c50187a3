import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text, Picker } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { gridApi, type GridFigures } from '@/api/grid';
import { usePageData, usePagedList } from '@/lib/pageData';
import { shanghaiMonth } from '@contracts/time';
import { useGridCommunity } from '../components/useGridCommunity';
import type { Me } from '@/api/core';
import '../grid.css';

export default function FiguresPage() {
  const { params } = useRouter();
  return <Page>{({ me }) => <Frame me={me} fromUrl={params.communityId} />}</Page>;
}

function Frame({ me, fromUrl }: { me: Me; fromUrl?: string }) {
  const { communityId } = useGridCommunity(me, fromUrl);
  const [month, setMonth] = useState(shanghaiMonth());
  if (!communityId) return <Empty text="工作量化给网格员、两委、监委会和街道查看。" />;
  const c = me.communities.find((x) => x.id === communityId);
  const overseer = !c || c.roles.some((r) => r === 'committee' || r === 'supervisor');
  return (
    <View>
      <Picker mode="date" fields="month" value={month} end={shanghaiMonth()} onChange={(e) => setMonth(e.detail.value.slice(0, 7))}>
        <View className="input picker figures-month">{month.replace('-', '年')}月（点此换月份）</View>
      </Picker>
      <Text className="muted">这些数字都从随手拍、走访和调解的记录里算出来，不能手填。</Text>
      {overseer ? <AllWorkers communityId={communityId} month={month} /> : <Mine communityId={communityId} month={month} />}
    </View>
  );
}

const pct = (v: number | null) => (v == null ? '—' : `${v}%`);

function FigureCard({ f }: { f: GridFigures }) {
  const items: Array<[string, string]> = [
    ['收到的随手拍', String(f.reports)],
    ['按时受理', pct(f.acceptedOnTimeRate)],
    ['办结', String(f.resolved)],
    ['按时办结', pct(f.resolvedOnTimeRate)],
    ['上报上一级', pct(f.escalatedRate)],
    ['被重新打开', pct(f.reopenedRate)],
    ['平均评价', f.averageRating == null ? '—' : `${f.averageRating} 星（${f.ratings} 条）`],
    ['走访住户', `${f.householdsVisited} / ${f.households}`],
    ['调解纠纷', String(f.disputesMediated)],
  ];
  return (
    <View className="card stack figures">
      <Text className="card-title">{f.name}</Text>
      <View className="figure-grid">
        {items.map(([label, value]) => (
          <View key={label} className="figure">
            <Text className="figure-value">{value}</Text>
            <Text className="figure-label">{label}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

function Mine({ communityId, month }: { communityId: string; month: string }) {
  const [state, reload] = usePageData(() => gridApi.figures(communityId, month), [communityId, month]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  return <FigureCard f={state.data} />;
}

function AllWorkers({ communityId, month }: { communityId: string; month: string }) {
  const list = usePagedList((cursor) => gridApi.allFigures(communityId, month, cursor), [communityId, month]);
  const { state } = list;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void list.reload()} />;
  if (!state.data.length) return <Empty text="这个社区还没有网格员。" />;
  return (
    <View>
      {state.data.map((f) => (
        <FigureCard key={f.workerId} f={f} />
      ))}
      <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
    </View>
  );
}

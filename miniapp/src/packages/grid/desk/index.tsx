import { useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button, Picker } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { Tabs } from '@/components/Tabs';
import { gridApi, type GridDesk, type QueueScope } from '@/api/grid';
import { coreApi } from '@/api/core';
import { usePageData, usePagedList } from '@/lib/pageData';
import { ReportItem } from '../components/ReportItem';
import { useGridCommunity } from '../components/useGridCommunity';
import '../grid.css';

export default function GridDeskPage() {
  const { params } = useRouter();
  return <Page>{({ me }) => <DeskFrame me={me} fromUrl={params.communityId} />}</Page>;
}

function DeskFrame({ me, fromUrl }: { me: Parameters<typeof useGridCommunity>[0]; fromUrl?: string }) {
  const { communities, communityId, choose } = useGridCommunity(me, fromUrl);
  // A street admin works across the street's communities: pick one.
  const [street] = usePageData(() => (me.adminOf.length ? coreApi.communities() : Promise.resolve({ items: [], nextCursor: null })), [me.adminOf.length]);
  const options = [
    ...communities,
    ...(street.status === 'ready'
      ? street.data.items
          .filter((c) => me.adminOf.some((a) => a.streetName === c.streetName) && !communities.some((x) => x.id === c.id))
          .map((c) => ({ id: c.id, name: c.name }))
      : []),
  ];
  const current = communityId ?? options[0]?.id ?? null;
  if (!current) {
    if (me.adminOf.length && street.status === 'loading') return <Loading />;
    return (
      <Empty
        text="网格工作台给网格员、社区工作人员和街道使用。居民反映问题请用“随手拍”。"
        action="随手拍"
        onAction={() => Taro.navigateTo({ url: '/packages/grid/new/index' })}
      />
    );
  }
  return (
    <View>
      {options.length > 1 ? (
        <Picker
          mode="selector"
          range={options.map((c) => c.name)}
          onChange={(e) => {
            const c = options[Number(e.detail.value)];
            if (c) choose(c.id);
          }}
        >
          <View className="input picker desk-community">{options.find((c) => c.id === current)?.name ?? '选择社区'}（点此切换）</View>
        </Picker>
      ) : null}
      <Desk key={current} communityId={current} />
    </View>
  );
}

function Desk({ communityId }: { communityId: string }) {
  const [desk, reloadDesk] = usePageData(() => gridApi.desk(communityId), [communityId]);
  if (desk.status === 'loading') return <Loading />;
  if (desk.status === 'error') return <ErrorState message={desk.message} onRetry={() => void reloadDesk()} />;
  return <DeskBody d={desk.data} communityId={communityId} reloadDesk={reloadDesk} />;
}

function DeskBody({ d, communityId, reloadDesk }: { d: GridDesk; communityId: string; reloadDesk: () => Promise<void> }) {
  const scopes: QueueScope[] = [
    ...(d.isWorker ? ['grid' as const] : []),
    ...(d.isStaff ? ['community' as const] : []),
    ...(d.isStreetAdmin ? ['street' as const] : []),
  ];
  const [scope, setScope] = useState<QueueScope>(scopes[0] ?? 'grid');
  const list = usePagedList((cursor) => gridApi.queue(communityId, scope, cursor), [communityId, scope]);
  useDidShow(() => {
    void reloadDesk();
    void list.reload();
  });
  const go = (url: string) => Taro.navigateTo({ url: `${url}?communityId=${communityId}` });
  const { state } = list;
  return (
    <View className="grid-desk">
      <View className="card stack">
        {d.isWorker ? <Text className="muted">我负责：{d.grids.map((g) => g.name).join('、')}</Text> : null}
        <View className="btn-row">
          {d.isWorker ? (
            <Button className="btn plain desk-visits" onClick={() => go('/packages/grid/visits/index')}>
              走访{d.unvisited ? `（${d.unvisited} 户未访）` : ''}
            </Button>
          ) : null}
          {d.isWorker ? (
            <Button className="btn plain desk-logs" onClick={() => go('/packages/grid/logs/index')}>
              民情日志
            </Button>
          ) : null}
        </View>
        <View className="btn-row">
          {d.mayMediate ? (
            <Button className="btn plain desk-disputes" onClick={() => go('/packages/grid/disputes/index')}>
              调解{d.openDisputes ? `（${d.openDisputes}）` : ''}
            </Button>
          ) : null}
          <Button className="btn plain desk-figures" onClick={() => go('/packages/grid/figures/index')}>
            工作量化
          </Button>
        </View>
        {d.followUpsDue ? <View className="banner info">有 {d.followUpsDue} 件走访时记下的事三天内要跟进，在“走访”里查看。</View> : null}
      </View>
      {scopes.length ? (
        <Tabs
          value={scope}
          onChange={setScope}
          tabs={scopes.map((s) => ({
            key: s,
            label: s === 'grid' ? '我的网格' : s === 'community' ? '社区' : '街道',
            count: s === 'grid' ? d.gridOpen : s === 'community' ? (d.communityOpen ?? 0) : (d.streetOpen ?? 0),
            alert: s === 'grid' && d.gridOverdue > 0,
          }))}
        />
      ) : null}
      {scope === 'grid' && d.gridOverdue ? (
        <View className="banner alert" role="alert">
          有 {d.gridOverdue} 件已超时，排在最前面；不处理会自动报给社区。
        </View>
      ) : null}
      {!scopes.length ? <Empty text="您可以在这里看工作量化；待办的随手拍由网格员和社区工作人员处理。" /> : null}
      {scopes.length && state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void list.reload()} /> : null}
      {scopes.length && state.status === 'ready' && state.data.length === 0 ? <Empty text="没有待办的随手拍。" /> : null}
      {state.status === 'ready' && state.data.length ? (
        <View className="card report-queue">
          {state.data.map((r) => (
            <ReportItem key={r.id} r={r} showDue />
          ))}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      ) : null}
    </View>
  );
}

import { View, Text } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { pointsApi } from '@/api/volunteer';
import { usePagedList } from '@/lib/pageData';
import { entryKindLabel, formatDateTime } from '@/lib/format';
import { currentCommunity } from '@/lib/session';

export default function PointsPage() {
  return <Page>{({ me }) => <Points communityId={currentCommunity(me)?.id} />}</Page>;
}

function Points({ communityId }: { communityId?: string }) {
  const list = usePagedList(
    async (cursor) => {
      const r = await pointsApi.me(communityId, cursor);
      return { ...r, items: r.entries };
    },
    [communityId],
  );
  const { state, first: p } = list;
  if (state.status === 'loading' || (state.status === 'ready' && !p)) return <Loading />;
  if (state.status === 'error' || !p) return <ErrorState message={state.status === 'error' ? state.message : '加载失败'} onRetry={() => void list.reload()} />;
  const entries = state.data;
  return (
    <View>
      <View className="card stack">
        <View className="row">
          <View>
            <Text className="muted">可用</Text>
            <Text className="hero">{p.available}</Text>
          </View>
          <View>
            <Text className="muted">待公示</Text>
            <Text className="text">{p.pending}</Text>
          </View>
          <View>
            <Text className="muted">合计</Text>
            <Text className="text">{p.balance}</Text>
          </View>
        </View>
        <Text className="muted">志愿服务积分 = 在场分钟数 × 每小时积分 ÷ 60，去掉小数。每月积分公示后，异议期结束才能兑换。</Text>
      </View>
      {entries.length === 0 ? (
        <Empty text="还没有积分记录。报名参加志愿活动就能攒积分。" />
      ) : (
        <View className="card ledger">
          {entries.map((e) => (
            <View key={e.id} className="list-item row ledger-entry">
              <View style={{ flex: 1 }}>
                <Text className="text">{e.reason}</Text>
                <Text className="muted">
                  {entryKindLabel[e.kind] ?? e.kind} · {formatDateTime(e.createdAt)}
                </Text>
              </View>
              <Text className="text" style={{ fontWeight: 700, color: e.delta > 0 ? '#1d5e22' : '#8a1c14' }}>
                {e.delta > 0 ? `+${e.delta}` : e.delta}
              </Text>
            </View>
          ))}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      )}
    </View>
  );
}

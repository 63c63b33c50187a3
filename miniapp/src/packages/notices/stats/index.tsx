import { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { noticesApi } from '@/api/notices';
import { usePagedList } from '@/lib/pageData';

export default function ReadStatsPage() {
  const { params } = useRouter();
  return <Page>{() => <Stats id={params.id ?? ''} />}</Page>;
}

function Stats({ id }: { id: string }) {
  // The counts come with the first page; later pages only add households.
  const list = usePagedList(
    async (cursor) => {
      const r = await noticesApi.stats(id, cursor);
      return { ...r, items: r.unreadHouseholds };
    },
    [id],
  );
  const { state, first: s } = list;
  if (state.status === 'loading' || (state.status === 'ready' && !s)) return <Loading />;
  if (state.status === 'error' || !s) return <ErrorState message={state.status === 'error' ? state.message : '加载失败'} onRetry={() => void list.reload()} />;
  return (
    <View>
      <View className="card stack">
        <Text className="card-title">已读 {s.readers} 人</Text>
        <Text className="text">
          覆盖 {s.householdsRead} / {s.households} 户
        </Text>
        {s.important ? (
          <Text className="muted">这是重要公告：下面这些户还没人看过，请网格员上门或电话告知。</Text>
        ) : (
          <Text className="muted">未读户名单仅供网格员联系居民使用，不得外传。</Text>
        )}
      </View>
      {state.data.length === 0 ? (
        <Empty text="每一户都有人看过了" />
      ) : (
        <View className="card unread-households">
          {state.data.map((h) => (
            <View key={h.householdId} className="list-item">
              <Text className="text">{h.address}</Text>
              <Text className="muted">
                {h.gridName}
                {h.residents?.length ? ` · ${h.residents.join('、')}` : ''}
              </Text>
            </View>
          ))}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      )}
    </View>
  );
}

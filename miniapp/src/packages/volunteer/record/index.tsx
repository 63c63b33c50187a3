import { View, Text, Button } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { volunteerApi } from '@/api/volunteer';
import { usePagedList } from '@/lib/pageData';
import { formatDate, formatMinutes } from '@/lib/format';
import { currentCommunity } from '@/lib/session';

/** A volunteer's own record; printable in the browser as a summary of service hours. */
export default function RecordPage() {
  return (
    <Page>
      {({ me }) => {
        const c = currentCommunity(me);
        return c ? <Record communityId={c.id} /> : <Empty text="认证为居民后才有志愿服务记录。" />;
      }}
    </Page>
  );
}

function Record({ communityId }: { communityId: string }) {
  const list = usePagedList((cursor) => volunteerApi.record(communityId, cursor), [communityId]);
  const { state, first: r } = list;
  if (state.status === 'loading' || (state.status === 'ready' && !r)) return <Loading />;
  if (state.status === 'error' || !r) return <ErrorState message={state.status === 'error' ? state.message : '加载失败'} onRetry={() => void list.reload()} />;
  return (
    <View>
      <View className="card stack service-summary">
        <Text className="card-title">志愿服务时长证明</Text>
        <Text className="text">
          {r.name}，在{r.community}参加志愿服务 {r.activities} 次，累计 {formatMinutes(r.totalMinutes)}，获得积分 {r.totalPoints} 分。
        </Text>
        {state.data.length === 0 ? (
          <Text className="muted">还没有确认过的服务记录。</Text>
        ) : (
          state.data.map((i, k) => (
            <View key={k} className="list-item row">
              <Text className="text">
                {formatDate(i.startsAt)} {i.title}
              </Text>
              <Text className="muted">{formatMinutes(i.minutes ?? 0)}</Text>
            </View>
          ))
        )}
        {list.hasMore ? (
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        ) : null}
        <Text className="muted">以上记录来自组织者确认的签到签退，盖社区公章后有效。</Text>
      </View>
      {process.env.TARO_ENV === 'h5' ? (
        <Button className="btn no-print" onClick={() => window.print()}>
          打印
        </Button>
      ) : null}
    </View>
  );
}

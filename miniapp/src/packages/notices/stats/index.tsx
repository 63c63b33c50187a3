import { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Page } from '../../../components/Page';
import { Empty, ErrorState, Loading } from '../../../components/StateView';
import { noticesApi } from '../../../api/notices';
import { useLoad } from '../../../lib/useLoad';

export default function ReadStatsPage() {
  const { params } = useRouter();
  return <Page>{() => <Stats id={params.id ?? ''} />}</Page>;
}

function Stats({ id }: { id: string }) {
  const [state, reload] = useLoad(() => noticesApi.stats(id), [id]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  const s = state.data;
  return (
    <View>
      <View className="card stack">
        <Text className="card-title">已读 {s.readers} 人</Text>
        <Text className="text">覆盖 {s.householdsRead} / {s.households} 户</Text>
        {s.important ? <Text className="muted">这是重要公告：下面这些户还没人看过，请网格员上门或电话告知。</Text> : <Text className="muted">未读户名单仅供网格员联系居民使用，不得外传。</Text>}
      </View>
      {s.unreadHouseholds.length === 0 ? <Empty text="每一户都有人看过了" /> : (
        <View className="card unread-households">
          {s.unreadHouseholds.map((h) => (
            <View key={h.householdId} className="list-item">
              <Text className="text">{h.address}</Text>
              <Text className="muted">{h.gridName}{h.residents?.length ? ` · ${h.residents.join('、')}` : ''}</Text>
            </View>
          ))}
        </View>
      )}
    </View>
  );
}

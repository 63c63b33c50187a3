import { View, Text, Button } from '@tarojs/components';
import { Page } from '../../../components/Page';
import { Empty, ErrorState, Loading } from '../../../components/StateView';
import { volunteerApi } from '../../../api/volunteer';
import { usePageData } from '../../../lib/pageData';
import { formatDate, formatMinutes } from '../../../lib/format';
import { currentCommunity } from '../../../lib/session';

/** A volunteer's own record; printable in the browser as a summary of service hours. */
export default function RecordPage() {
  return <Page>{({ me }) => {
    const c = currentCommunity(me);
    return c ? <Record communityId={c.id} /> : <Empty text="认证为居民后才有志愿服务记录。" />;
  }}</Page>;
}

function Record({ communityId }: { communityId: string }) {
  const [state, reload] = usePageData(() => volunteerApi.record(communityId), [communityId]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  const r = state.data;
  return (
    <View>
      <View className="card stack service-summary">
        <Text className="card-title">志愿服务时长证明</Text>
        <Text className="text">{r.name}，在{r.community}参加志愿服务 {r.activities} 次，累计 {formatMinutes(r.totalMinutes)}，获得积分 {r.totalPoints} 分。</Text>
        {r.items.length === 0 ? <Text className="muted">还没有确认过的服务记录。</Text> : r.items.map((i, k) => (
          <View key={k} className="list-item row"><Text className="text">{formatDate(i.startsAt)} {i.title}</Text><Text className="muted">{formatMinutes(i.minutes ?? 0)}</Text></View>
        ))}
        <Text className="muted">以上记录来自组织者确认的签到签退，盖社区公章后有效。</Text>
      </View>
      {process.env.TARO_ENV === 'h5' ? <Button className="btn no-print" onClick={() => window.print()}>打印</Button> : null}
    </View>
  );
}

import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Button, Picker } from '@tarojs/components';
import { Page } from '../../../components/Page';
import { Empty, ErrorState, Loading } from '../../../components/StateView';
import { hallApi } from '../../../api/hall';
import { usePageData } from '../../../lib/pageData';
import { formatDate, formatDateTime } from '../../../lib/format';
import { currentCommunity } from '../../../lib/session';
import { runAction } from '../../../lib/feedback';

export default function DeskPage() {
  return <Page>{({ me }) => {
    const c = me.communities.find((x) => x.roles.includes('clerk') || x.roles.includes('committee')) ?? currentCommunity(me);
    return c ? <Desk communityId={c.id} /> : <Empty text="只有社区工作人员可以使用窗口工作台。" />;
  }}</Page>;
}


function Desk({ communityId }: { communityId: string }) {
  const [state, reload] = usePageData(async () => {
    const [w, h] = await Promise.all([hallApi.workbench(communityId), hallApi.helpers(communityId).catch(() => ({ helpers: [] }))]);
    return { ...w, helpers: h.helpers };
  }, [communityId]);
  useDidShow(() => void reload());
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  const d = state.data;
  const go = (url: string) => Taro.navigateTo({ url });
  const act = (fn: () => Promise<unknown>, done: string) => runAction(fn, done, reload);
  return (
    <View>
      {d.rectifications.length ? (
        <View className="card desk-rectifications">
          <Text className="card-title">差评整改（{d.rectifications.length}）</Text>
          {d.rectifications.map((r) => (
            <View key={r.id} className="list-item follow-up" onClick={() => go(`/packages/hall/case/index?id=${r.applicationId}`)}>
              <Text className="text">{r.itemName} · {r.rating} 星{r.comment ? `：${r.comment}` : ''}</Text>
              <Text className={`muted ${r.overdue ? 'overdue' : ''}`}>{formatDate(r.dueOn)} 前整改{r.overdue ? '（已超期）' : ''}</Text>
            </View>
          ))}
        </View>
      ) : null}
      <View className="card desk-cases">
        <Text className="card-title">待办办件（{d.cases.length}）</Text>
        {d.cases.length === 0 ? <Text className="muted">没有待办的办件。</Text> : d.cases.map((c) => (
          <View key={c.id} className="list-item desk-case" onClick={() => go(`/packages/hall/case/index?id=${c.id}`)}>
            <View className="row"><Text className="text">{c.itemName} · {c.applicant}</Text><Text className={`tag ${c.overdue ? 'bad' : 'warn'}`}>{c.overdue ? '已超期' : c.statusLabel}</Text></View>
            <Text className="muted">{c.statusLabel} · 承诺 {formatDate(c.dueOn)} 前办结</Text>
          </View>
        ))}
      </View>
      <View className="card">
        <Text className="card-title">今日预约（{d.appointments.length}）</Text>
        {d.appointments.length === 0 ? <Text className="muted">今天没有预约。</Text> : d.appointments.map((a) => (
          <View key={a.id} className="list-item row">
            <Text className="text">{formatDateTime(a.startsAt).split(' ')[1]} {a.itemName} · {a.name}</Text>
            {a.status === 'booked' ? <Button className="btn plain" onClick={() => void act(() => hallApi.arrive(a.id), '已登记到场')}>到场</Button> : <Text className="tag ok">已到</Text>}
          </View>
        ))}
      </View>
      {d.proxyRequests.length ? (
        <View className="card">
          <Text className="card-title">帮办请求</Text>
          {d.proxyRequests.map((p) => (
            <View key={p.id} className="list-item stack">
              <Text className="text">{p.resident} 请人帮办：{p.itemName}</Text>
              {p.note ? <Text className="muted">{p.note}</Text> : null}
              <Picker mode="selector" range={d.helpers.map((h) => `${h.name}（${h.kind}）`)} onChange={(e) => {
                const h = d.helpers[Number(e.detail.value)];
                if (h) void act(() => hallApi.assignProxy(p.id, h.id), '已指派，等居民同意');
              }}>
                <View className="input picker">{p.helper ? `已指派 ${p.helper}，等待居民同意（点此改派）` : '指派帮办人'}</View>
              </Picker>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}

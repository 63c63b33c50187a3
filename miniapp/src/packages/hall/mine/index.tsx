import { confirm } from '@/lib/ask';
import { LinkText } from '@/components/LinkText';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { Page } from '@/components/Page';
import { ErrorState, ListFooter, Loading } from '@/components/StateView';
import { hallApi } from '@/api/hall';
import { usePageData, usePagedList } from '@/lib/pageData';
import { formatDate, formatDateTime } from '@/lib/format';
import { runAction } from '@/lib/feedback';

export default function MyHallPage() {
  return <Page>{() => <Mine />}</Page>;
}

function Mine() {
  // My cases scroll page by page; help, bookings and messages show their latest page.
  const cases = usePagedList((cursor) => hallApi.mine(cursor), []);
  const [state, reloadRest] = usePageData(async () => {
    const [proxies, appointments, notes] = await Promise.all([hallApi.myProxy(), hallApi.myAppointments(), hallApi.notifications()]);
    return { proxies: proxies.items, appointments: appointments.items, notes: notes.items };
  }, []);
  const reload = async () => {
    await Promise.all([cases.reload(), reloadRest()]);
  };
  useDidShow(() => void reload());
  if (state.status === 'loading' || cases.state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  if (cases.state.status === 'error') return <ErrorState message={cases.state.message} onRetry={() => void reload()} />;
  const d = { ...state.data, cases: cases.state.data };
  const go = (url: string) => Taro.navigateTo({ url });
  const act = (fn: () => Promise<unknown>, done: string) => runAction(fn, done, reload);
  return (
    <View>
      <View className="card my-case-list">
        <Text className="card-title">我的办件</Text>
        {d.cases.length === 0 ? (
          <Text className="muted">还没有网上办过事。</Text>
        ) : (
          d.cases.map((c) => (
            <View key={c.id} className="list-item my-case" role="link" onClick={() => go(`/packages/hall/case/index?id=${c.id}`)}>
              <View className="row">
                <Text className="text">
                  {c.itemName}
                  {c.forMe ? '' : '（我代办的）'}
                </Text>
                <Text className={`tag ${c.status === 'returned' ? 'bad' : c.status === 'completed' ? 'ok' : 'warn'}`}>{c.statusLabel}</Text>
              </View>
              <Text className="muted">
                提交于 {formatDate(c.createdAt)} · 承诺 {formatDate(c.dueOn)} 前办结
              </Text>
            </View>
          ))
        )}
        {d.cases.length ? (
          <ListFooter hasMore={cases.hasMore} loadingMore={cases.loadingMore} moreError={cases.moreError} onMore={() => void cases.loadMore()} />
        ) : null}
      </View>
      {d.proxies.length ? (
        <View className="card">
          <Text className="card-title">帮办代办</Text>
          {d.proxies.map((p) => (
            <View key={p.id} className="list-item stack">
              <Text className="text">
                {p.itemName} · {p.iAmHelper ? `为 ${p.resident} 代办` : p.helper ? `帮办人 ${p.helper}` : '等待工作人员安排帮办人'}
              </Text>
              {!p.iAmHelper && p.status === 'assigned' ? (
                <Button className="btn consent-proxy" onClick={() => void act(() => hallApi.consentProxy(p.id), '已同意')}>
                  同意由 {p.helper} 为我代办
                </Button>
              ) : null}
              {p.iAmHelper && p.status === 'consented' && !p.applicationId ? (
                <Button className="btn" onClick={() => go(`/packages/hall/apply/index?id=${p.itemId}&proxy=${p.id}`)}>
                  为居民填写申请
                </Button>
              ) : null}
              {p.iAmHelper && p.status === 'assigned' ? <Text className="muted">等待居民同意后才能代办。</Text> : null}
            </View>
          ))}
        </View>
      ) : null}
      {d.appointments.length ? (
        <View className="card">
          <Text className="card-title">我的预约</Text>
          {d.appointments.map((a) => (
            <View key={a.id} className="list-item">
              <Text className="text">
                {a.itemName} · {formatDateTime(a.startsAt)}
              </Text>
              <Text className="muted">
                {a.address} · {a.status === 'booked' ? '已预约' : a.status === 'arrived' ? '已到场' : '已取消'}
              </Text>
              {a.status === 'booked' ? (
                <LinkText
                  className="cancel-appointment"
                  onClick={() =>
                    void confirm({
                      title: '取消这次预约？',
                      content: '取消后这个时段会让给别人，想去需要重新预约。',
                      confirmText: '取消预约',
                      cancelText: '不取消',
                    }).then((ok) => {
                      if (ok) void act(() => hallApi.cancelAppointment(a.id), '已取消');
                    })
                  }
                >
                  取消预约 ›
                </LinkText>
              ) : null}
            </View>
          ))}
        </View>
      ) : null}
      {d.notes.length ? (
        <View className="card">
          <Text className="card-title">消息</Text>
          {d.notes.slice(0, 10).map((n) => (
            <View key={n.id} className="list-item" role="link" onClick={() => n.link && go(`/${n.link}`)}>
              <Text className="text">{n.title}</Text>
              <Text className="muted">
                {n.body ? `${n.body} · ` : ''}
                {formatDateTime(n.createdAt)}
              </Text>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}

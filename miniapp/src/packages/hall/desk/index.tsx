import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Button, Picker } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { Tabs } from '@/components/Tabs';
import { hallApi, type WorkAppointment, type WorkCase, type WorkProxyRequest, type WorkRectification, type WorkTab } from '@/api/hall';
import { usePageData, usePagedList } from '@/lib/pageData';
import { formatDate, formatDateTime } from '@/lib/format';
import { currentCommunity } from '@/lib/session';
import { runAction } from '@/lib/feedback';

export default function DeskPage() {
  return (
    <Page>
      {({ me }) => {
        const cur = currentCommunity(me);
        const c =
          cur && (cur.roles.includes('clerk') || cur.roles.includes('committee'))
            ? cur
            : (me.communities.find((x) => x.roles.includes('clerk') || x.roles.includes('committee')) ?? cur);
        return c ? <Desk communityId={c.id} /> : <Empty text="只有社区工作人员可以使用窗口工作台。" />;
      }}
    </Page>
  );
}

const EMPTY: Record<WorkTab, string> = {
  cases: '没有待办的办件。',
  appointments: '今天没有预约。',
  proxy: '没有等待安排的帮办请求。',
  rectifications: '没有待整改的差评。',
};

/** 窗口工作台: one tab at a time, each with its count; cases by due date with overdue ones first. */
function Desk({ communityId }: { communityId: string }) {
  const [tab, setTab] = useState<WorkTab>('cases');
  const [counts, reloadCounts] = usePageData(() => hallApi.workbench(communityId), [communityId]);
  const list = usePagedList((cursor) => hallApi.work(communityId, tab, cursor), [communityId, tab]);
  const reload = async () => {
    await Promise.all([reloadCounts(), list.reload()]);
  };
  useDidShow(() => void reload());
  const n = counts.status === 'ready' ? counts.data : null;
  const go = (url: string) => Taro.navigateTo({ url });
  const act = (fn: () => Promise<unknown>, done: string) => runAction(fn, done, reload);
  const { state } = list;

  return (
    <View>
      <Tabs
        value={tab}
        onChange={setTab}
        tabs={[
          { key: 'cases', label: '待办', count: n?.cases, alert: Boolean(n?.overdueCases) },
          { key: 'appointments', label: '今日预约', count: n?.appointmentsToday },
          { key: 'proxy', label: '帮办', count: n?.proxyRequests },
          { key: 'rectifications', label: '整改', count: n?.rectifications, alert: Boolean(n?.overdueRectifications) },
        ]}
      />
      {tab === 'cases' && n?.overdueCases ? <View className="banner alert">有 {n.overdueCases} 件已超过承诺时限，排在最前面，请优先办理。</View> : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void list.reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text={EMPTY[tab]} /> : null}
      {state.status === 'ready' && state.data.length > 0 ? (
        <View className={`card desk-${tab}`}>
          {tab === 'cases'
            ? (state.data as WorkCase[]).map((c) => (
                <View key={c.id} className="list-item desk-case" role="link" onClick={() => go(`/packages/hall/case/index?id=${c.id}`)}>
                  <Text className="text">
                    {c.itemName} · {c.applicant}
                  </Text>
                  <Text className={`muted ${c.overdue ? 'overdue' : ''}`}>
                    {c.statusLabel} · {c.overdue ? '已超期，' : ''}承诺 {formatDate(c.dueOn)} 前办结
                  </Text>
                </View>
              ))
            : null}
          {tab === 'appointments'
            ? (state.data as WorkAppointment[]).map((a) => (
                <View key={a.id} className="list-item row">
                  <Text className="text">
                    {formatDateTime(a.startsAt).split(' ')[1]} {a.itemName} · {a.name}
                  </Text>
                  {a.status === 'booked' ? (
                    <Button className="btn plain" onClick={() => void act(() => hallApi.arrive(a.id), '已登记到场')}>
                      到场
                    </Button>
                  ) : (
                    <Text className="tag ok">已到</Text>
                  )}
                </View>
              ))
            : null}
          {tab === 'proxy' ? (state.data as WorkProxyRequest[]).map((p) => <ProxyRow key={p.id} p={p} communityId={communityId} act={act} />) : null}
          {tab === 'rectifications'
            ? (state.data as WorkRectification[]).map((r) => (
                <View key={r.id} className="list-item follow-up" role="link" onClick={() => go(`/packages/hall/case/index?id=${r.applicationId}`)}>
                  <Text className="text">
                    {r.itemName} · {r.rating} 星{r.comment ? `：${r.comment}` : ''}
                  </Text>
                  <Text className={`muted ${r.overdue ? 'overdue' : ''}`}>
                    {formatDate(r.dueOn)} 前整改{r.overdue ? '（已超期）' : ''}
                  </Text>
                </View>
              ))
            : null}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      ) : null}
    </View>
  );
}

/** A help request: pick a grid worker or volunteer (the first page of helpers; grid workers first). */
function ProxyRow({ p, communityId, act }: { p: WorkProxyRequest; communityId: string; act: (fn: () => Promise<unknown>, done: string) => Promise<boolean> }) {
  const [helpers] = usePageData(() => hallApi.helpers(communityId), [communityId]);
  const options = helpers.status === 'ready' ? helpers.data.items : [];
  return (
    <View className="list-item stack">
      <Text className="text">
        {p.resident} 请人帮办：{p.itemName}
      </Text>
      {p.note ? <Text className="muted">{p.note}</Text> : null}
      <Picker
        mode="selector"
        range={options.map((h) => `${h.name}（${h.kind}）`)}
        onChange={(e) => {
          const h = options[Number(e.detail.value)];
          if (h) void act(() => hallApi.assignProxy(p.id, h.id), '已指派，等居民同意');
        }}
      >
        <View className="input picker" role="button">
          <Text>{p.helper ? `已指派 ${p.helper}，等待居民同意（点此改派）` : '指派帮办人 ›'}</Text>
        </View>
      </Picker>
    </View>
  );
}

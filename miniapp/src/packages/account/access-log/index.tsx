import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { Tabs } from '@/components/Tabs';
import { trustApi, type AccessEntry } from '@/api/trust';
import { usePagedList, type PageOf } from '@/lib/pageData';
import { formatDateTime, roleLabel } from '@/lib/format';
import type { Me } from '@/api/core';

/**
 * 谁查看了我的信息: every time staff opened my case (with what it holds: ID number, phone) or my verification
 * request, who (role, masked name) and when. The supervisory committee also sees the whole community's.
 */
export default function AccessLogPage() {
  return <Page>{({ me }) => <AccessLog me={me} />}</Page>;
}

const WHAT: Record<string, string> = { case: '办件', verification: '居民认证申请' };
const FIELD: Record<string, string> = { case: '办理进度和填写内容', idcard: '身份证号', phone: '手机号', realName: '姓名', address: '住址' };
const who = (x: AccessEntry) => `${x.communityName ?? ''}${roleLabel[x.role ?? ''] ?? '帮办人'} ${x.actor ?? ''}`;

function AccessLog({ me }: { me: Me }) {
  const overseen = me.communities.filter((c) => c.roles.some((r) => r === 'supervisor' || r === 'admin'));
  const [tab, setTab] = useState<string>('mine');
  return (
    <View className="access-log">
      {overseen.length ? (
        <Tabs tabs={[{ key: 'mine', label: '我的信息' }, ...overseen.map((c) => ({ key: c.id, label: `${c.name}查阅记录` }))]} value={tab} onChange={setTab} />
      ) : null}
      {tab === 'mine' ? (
        <Entries key="mine" fetch={(cursor) => trustApi.myAccessLog(cursor)} community={false} />
      ) : (
        <Entries key={tab} fetch={(cursor) => trustApi.communityAccessLog(tab, cursor)} community />
      )}
    </View>
  );
}

function Entries({ fetch, community }: { fetch: (cursor?: string) => Promise<PageOf<AccessEntry>>; community: boolean }) {
  const list = usePagedList(fetch, [community]);
  if (list.state.status === 'loading') return <Loading />;
  if (list.state.status === 'error') return <ErrorState message={list.state.message} onRetry={() => void list.reload()} />;
  const items = list.state.data;
  return (
    <View className="card stack">
      <Text className="muted">
        {community
          ? '本社区工作人员查看居民办件、认证申请的记录（姓名已打码）。'
          : '工作人员每次查看您的办件或认证申请都会记下来（十分钟内重复打开只记一次）。'}
      </Text>
      {items.length === 0 ? <Empty text={community ? '还没有查阅记录。' : '还没有工作人员查看过您的信息。'} /> : null}
      {items.map((x) => (
        <View key={x.id} className={`list-item access-entry access-${x.what}`}>
          <Text className="text">
            {who(x)} 查看了{community ? ` ${x.subject ?? ''} 的` : '您的'}
            {WHAT[x.what] ?? x.what}
          </Text>
          <Text className="muted">
            {formatDateTime(x.at)} · 看到：{x.fields.map((f) => FIELD[f] ?? f).join('、')}
          </Text>
        </View>
      ))}
      <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
    </View>
  );
}

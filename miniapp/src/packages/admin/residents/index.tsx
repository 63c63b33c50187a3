import { useState } from 'react';
import { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button, Input, Picker } from '@tarojs/components';
import { named } from '@/lib/a11y';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { adminApi, type Member } from '@/api/admin';
import { usePagedList } from '@/lib/pageData';
import { askReason } from '@/lib/ask';
import { runAction } from '@/lib/feedback';
import { formatDate } from '@/lib/format';
import { AdminFrame } from '../components/AdminFrame';
import '../admin.css';

export default function ResidentsPage() {
  const { params } = useRouter();
  return <Page>{() => <Residents id={params.id ?? ''} />}</Page>;
}

const REASONS = [
  ['moved_out', '迁出本社区'],
  ['deceased', '去世'],
  ['long_absence', '长期外出'],
] as const;

/** 居民: the verified residents, searchable by name; moving out, death or long absence recorded with a reason. */
function Residents({ id }: { id: string }) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const list = usePagedList((cursor) => adminApi.members(id, 'resident', query, cursor), [id, query]);
  useDidShow(() => void list.reload());
  const { state } = list;
  async function end(m: Member, reason: (typeof REASONS)[number]) {
    const note = await askReason({ title: `${m.name}：${reason[1]}`, placeholder: '说明，例如 搬到女儿家住', minLength: 2, confirmText: '登记' });
    if (note)
      await runAction(
        () => adminApi.endResidence(m.membershipId, { reason: reason[0], note }),
        '已登记，历史记录都保留',
        () => list.reload(),
      );
  }
  return (
    <AdminFrame section="residents" communityId={id}>
      <View className="card row">
        <Input
          className="input resident-q"
          value={q}
          placeholder="按姓名找"
          {...named('按姓名找')}
          confirmType="search"
          onInput={(e) => setQ(e.detail.value)}
          onConfirm={() => setQuery(q.trim())}
        />
        <Button className="btn secondary" onClick={() => setQuery(q.trim())}>
          找
        </Button>
      </View>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void list.reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? (
        <Empty text={query ? '没有找到。' : '还没有认证居民。导入台账后，居民登录认领即成为认证居民。'} />
      ) : null}
      {state.status === 'ready' && state.data.length ? (
        <View className="card resident-list">
          {state.data.map((m) => (
            <View key={m.membershipId} className="list-item row">
              <View>
                <Text className="text">
                  {m.name} · {m.address ?? ''}
                </Text>
                <Text className="muted">
                  {m.phone ?? '未留手机'} · {formatDate(m.since)} 起
                </Text>
              </View>
              <Picker
                mode="selector"
                range={REASONS.map((r) => r[1])}
                onChange={(e) => {
                  const r = REASONS[Number(e.detail.value)];
                  if (r) void end(m, r);
                }}
              >
                <View className="btn plain resident-end">变动</View>
              </Picker>
            </View>
          ))}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      ) : null}
    </AdminFrame>
  );
}

import { currentCommunity } from '@/lib/session';
import { ActionButton } from '@/components/ActionButton';
import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { Tabs } from '@/components/Tabs';
import { coreApi, type VerificationQueueItem } from '@/api/core';
import { usePagedList } from '@/lib/pageData';
import { askReason } from '@/lib/ask';
import { runAction } from '@/lib/feedback';
import { formatDateTime, verificationLabel } from '@/lib/format';

export default function VerificationQueuePage() {
  const { params } = useRouter();
  return <Page>{({ me }) => <Queue communityId={params.communityId ?? currentCommunity(me)?.id ?? ''} />}</Page>;
}

type Tab = 'pending' | 'approved' | 'refused';

/** 居民认证审核: the oldest waiting request first; a refusal says why, in words the person reads. */
function Queue({ communityId }: { communityId: string }) {
  const [tab, setTab] = useState<Tab>('pending');
  const [busy, setBusy] = useState('');
  const list = usePagedList((cursor) => coreApi.verificationQueue(communityId, tab, cursor), [communityId, tab]);
  const { state } = list;

  async function decide(item: VerificationQueueItem, approve: boolean) {
    const why = approve
      ? undefined
      : await askReason({ title: `驳回 ${item.realName} 的申请`, placeholder: '居民会看到，例如：门牌号与登记不符，请到社区核对' });
    if (!approve && !why) return;
    setBusy(item.id);
    await runAction(() => coreApi.decideVerification(item.id, approve, why ?? undefined), approve ? '已通过' : '已驳回', list.reload);
    setBusy('');
  }

  return (
    <View>
      <Tabs
        value={tab}
        onChange={setTab}
        tabs={[
          { key: 'pending', label: '待审核' },
          { key: 'approved', label: verificationLabel.approved! },
          { key: 'refused', label: verificationLabel.refused! },
        ]}
      />
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void list.reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text={tab === 'pending' ? '没有待审核的申请' : '暂无记录'} /> : null}
      {state.status === 'ready'
        ? state.data.map((item) => (
            <View key={item.id} className="card stack verification-item">
              <View className="row">
                <Text className="card-title">{item.realName}</Text>
                <Text className="tag">{item.relation}</Text>
              </View>
              <Text className="text">
                {item.address}（{item.gridName}）
              </Text>
              {item.phoneMasked ? <Text className="muted">手机 {item.phoneMasked}</Text> : null}
              {item.note ? <Text className="muted">备注：{item.note}</Text> : null}
              <Text className="muted">申请时间 {formatDateTime(item.createdAt)}</Text>
              {item.reason ? <Text className="muted">原因：{item.reason}</Text> : null}
              {item.status === 'pending' ? (
                <View className="btn-row">
                  <ActionButton className="btn secondary refuse" disabled={busy === item.id} onClick={() => void decide(item, false)}>
                    驳回
                  </ActionButton>
                  <ActionButton className="btn approve" loading={busy === item.id} disabled={busy === item.id} onClick={() => void decide(item, true)}>
                    通过
                  </ActionButton>
                </View>
              ) : null}
            </View>
          ))
        : null}
      {state.status === 'ready' && state.data.length ? (
        <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
      ) : null}
    </View>
  );
}

import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter, usePullDownRefresh } from '@tarojs/taro';
import { View, Text, Button, Input } from '@tarojs/components';
import { Page } from '../../../components/Page';
import { Empty, ErrorState, Loading } from '../../../components/StateView';
import { coreApi, type VerificationQueueItem } from '../../../api/core';
import { ApiError } from '../../../api/client';
import { formatDateTime, verificationLabel } from '../../../lib/format';

export default function VerificationQueuePage() {
  const { params } = useRouter();
  return <Page>{({ me }) => <Queue communityId={params.communityId ?? me.communities[0]?.id ?? ''} />}</Page>;
}

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: VerificationQueueItem[] };

function Queue({ communityId }: { communityId: string }) {
  const [tab, setTab] = useState<'pending' | 'approved' | 'refused'>('pending');
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [refusing, setRefusing] = useState<VerificationQueueItem | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState('');

  const fetchList = useCallback(() => {
    setLoad({ status: 'loading' });
    return coreApi.verificationQueue(communityId, tab)
      .then((r) => setLoad({ status: 'ready', items: r.requests }))
      .catch((e) => setLoad({ status: 'error', message: e instanceof ApiError ? e.message : '加载失败' }));
  }, [communityId, tab]);
  useEffect(() => { void fetchList(); }, [fetchList]);
  usePullDownRefresh(() => { void fetchList().finally(() => Taro.stopPullDownRefresh()); });

  async function decide(item: VerificationQueueItem, approve: boolean, why?: string) {
    setBusy(item.id);
    try {
      await coreApi.decideVerification(item.id, approve, why);
      Taro.showToast({ title: approve ? '已通过' : '已驳回', icon: 'success' });
      setRefusing(null);
      setReason('');
      await fetchList();
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '操作失败', icon: 'none' });
    } finally {
      setBusy('');
    }
  }

  return (
    <View>
      <View className="btn-row" style={{ marginBottom: '24px' }}>
        {(['pending', 'approved', 'refused'] as const).map((t) => (
          <Button key={t} className={`btn ${t === tab ? '' : 'plain'}`} onClick={() => setTab(t)}>
            {t === 'pending' ? '待审核' : verificationLabel[t]}
          </Button>
        ))}
      </View>
      {load.status === 'loading' ? <Loading /> : null}
      {load.status === 'error' ? <ErrorState message={load.message} onRetry={() => void fetchList()} /> : null}
      {load.status === 'ready' && load.items.length === 0 ? <Empty text={tab === 'pending' ? '没有待审核的申请' : '暂无记录'} /> : null}
      {load.status === 'ready'
        ? load.items.map((item) => (
            <View key={item.id} className="card stack verification-item">
              <View className="row">
                <Text className="card-title">{item.realName}</Text>
                <Text className="tag">{item.relation}</Text>
              </View>
              <Text className="text">{item.address}（{item.gridName}）</Text>
              {item.phoneMasked ? <Text className="muted">手机 {item.phoneMasked}</Text> : null}
              {item.note ? <Text className="muted">备注：{item.note}</Text> : null}
              <Text className="muted">申请时间 {formatDateTime(item.createdAt)}</Text>
              {item.reason ? <Text className="muted">原因：{item.reason}</Text> : null}
              {item.status === 'pending' ? (
                <View className="btn-row">
                  <Button className="btn secondary" disabled={busy === item.id} onClick={() => setRefusing(item)}>驳回</Button>
                  <Button className="btn approve" loading={busy === item.id} disabled={busy === item.id} onClick={() => decide(item, true)}>通过</Button>
                </View>
              ) : null}
            </View>
          ))
        : null}
      {refusing ? (
        <View className="mask">
          <View className="sheet stack">
            <Text className="card-title">驳回 {refusing.realName} 的申请</Text>
            <Text className="muted">请写清楚原因和需要补充什么，居民会看到。</Text>
            <Input className="input" placeholder="例如：门牌号与登记不符，请到社区核对" value={reason} maxlength={200} onInput={(e) => setReason(e.detail.value)} />
            <View className="btn-row">
              <Button className="btn plain" onClick={() => setRefusing(null)}>取消</Button>
              <Button className="btn danger" disabled={reason.trim().length < 2 || busy === refusing.id} onClick={() => decide(refusing, false, reason.trim())}>确认驳回</Button>
            </View>
          </View>
        </View>
      ) : null}
    </View>
  );
}

import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { Page } from '@/components/Page';
import { QrCode } from '@/components/QrCode';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { mallApi, type Redemption } from '@/api/mall';
import { ApiError } from '@/api/client';
import { usePagedList } from '@/lib/pageData';
import { formatDateTime } from '@/lib/format';

const statusLabel: Record<Redemption['status'], string> = {
  reserved: '待领取',
  handed_over: '已领取',
  cancelled: '已取消，积分已退回',
  expired: '已过期，积分已退回',
};

export default function MyRedemptionsPage() {
  const { params } = useRouter();
  return <Page>{() => <Mine highlight={params.highlight} />}</Page>;
}

function Mine({ highlight }: { highlight?: string }) {
  const list = usePagedList((cursor) => mallApi.mine(undefined, cursor), []);
  const { state, reload } = list;
  useDidShow(() => void reload());
  async function cancel(r: Redemption) {
    const ok = await Taro.showModal({ title: '取消兑换', content: `取消后 ${r.pointsSpent} 积分会退回。`, confirmText: '取消兑换', cancelText: '不取消' });
    if (!ok.confirm) return;
    try {
      await mallApi.cancel(r.id);
      await reload();
    } catch (e) {
      void Taro.showToast({ title: e instanceof ApiError ? e.message : '取消失败', icon: 'none' });
    }
  }
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  if (state.data.length === 0)
    return <Empty text="还没有兑换过。" action="去积分超市" onAction={() => Taro.redirectTo({ url: '/packages/mall/goods/index' })} />;
  return (
    <View>
      {state.data.map((r) => (
        <View key={r.id} className={`card stack redemption ${r.id === highlight ? 'highlight' : ''}`} data-status={r.status}>
          <View className="row">
            <Text className="card-title">{r.goodsName}</Text>
            <Text className={`tag redemption-status ${r.status === 'reserved' ? 'warn' : r.status === 'handed_over' ? 'ok' : ''}`}>
              {statusLabel[r.status]}
            </Text>
          </View>
          <Text className="muted">
            {r.pointsSpent} 积分 · 兑换于 {formatDateTime(r.createdAt)}
          </Text>
          {r.status === 'reserved' ? (
            <View className="stack" style={{ textAlign: 'center' }}>
              <QrCode text={r.pickupCode} size={360} />
              <Text className="hero pickup-code" style={{ letterSpacing: '8px' }}>
                {r.pickupCode}
              </Text>
              <Text className="muted">到社区服务中心出示二维码或报领取码。请在 {formatDateTime(r.expiresAt)} 前领取。</Text>
              <Button className="btn plain" onClick={() => void cancel(r)}>
                取消兑换
              </Button>
            </View>
          ) : null}
          {r.handedOverAt ? <Text className="muted">领取于 {formatDateTime(r.handedOverAt)}</Text> : null}
        </View>
      ))}
      <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
    </View>
  );
}

import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Button, Image } from '@tarojs/components';
import { ActionButton } from '@/components/ActionButton';
import { alt } from '@/lib/a11y';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { mallApi, type Goods } from '@/api/mall';
import { pointsApi } from '@/api/volunteer';
import { ApiError, newIdempotencyKey } from '@/api/client';
import { usePageData, usePagedList } from '@/lib/pageData';
import { currentCommunity, hasRole } from '@/lib/session';

const periodLabel: Record<string, string> = { week: '每周', month: '每月', year: '每年' };

export default function GoodsPage() {
  return (
    <Page>
      {({ me }) => {
        const c = currentCommunity(me);
        return c ? <Mall communityId={c.id} staff={hasRole(me, c.id, ['clerk', 'committee'])} /> : <Empty text="认证为居民后，可以用志愿积分兑换生活用品。" />;
      }}
    </Page>
  );
}

function Mall({ communityId, staff }: { communityId: string; staff: boolean }) {
  const list = usePagedList((cursor) => mallApi.goods(communityId, false, cursor), [communityId]);
  const [pointsState, reloadPoints] = usePageData(() => pointsApi.me(communityId, undefined), [communityId]);
  const reload = async () => {
    await Promise.all([list.reload(), reloadPoints()]);
  };
  const [choosing, setChoosing] = useState<Goods | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  useDidShow(() => void reload());

  async function redeem(g: Goods) {
    setBusy(true);
    setError('');
    try {
      const r = await mallApi.redeem(g.id, key); // the same key if this button is pressed again after a network error
      setChoosing(null);
      setKey(newIdempotencyKey());
      Taro.redirectTo({ url: `/packages/mall/mine/index?highlight=${r.id}` });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '兑换失败，请稍后再试');
      if (e instanceof ApiError && e.status > 0) setKey(newIdempotencyKey());
    } finally {
      setBusy(false);
    }
  }

  if (list.state.status === 'loading' || pointsState.status === 'loading') return <Loading />;
  if (list.state.status === 'error') return <ErrorState message={list.state.message} onRetry={() => void reload()} />;
  if (pointsState.status === 'error') return <ErrorState message={pointsState.message} onRetry={() => void reload()} />;
  const goods = list.state.data;
  const points = pointsState.data;
  return (
    <View className="mall">
      <View className="card mall-summary">
        <View className="mall-figure">
          <Text className="muted">可用积分</Text>
          <Text className="hero mall-available">{points.available}</Text>
        </View>
        <View className="mall-figure">
          <Text className="muted">待公示</Text>
          <Text className="text">{points.pending}</Text>
        </View>
        <Button className="btn plain" onClick={() => Taro.navigateTo({ url: '/packages/mall/mine/index' })}>
          我的兑换
        </Button>
      </View>
      {staff ? (
        <View className="btn-row" style={{ marginBottom: '24px' }}>
          <Button className="btn secondary staff-handover" onClick={() => Taro.navigateTo({ url: '/packages/mall/handover/index' })}>
            核销领取码
          </Button>
          <Button className="btn plain" onClick={() => Taro.navigateTo({ url: '/packages/mall/manage/index' })}>
            商品与台账
          </Button>
        </View>
      ) : null}
      {goods.length === 0 ? (
        <Empty text="货架上还没有商品。" />
      ) : (
        <View className="goods-grid" style={{ display: 'flex', flexWrap: 'wrap', gap: '16px' }}>
          {goods.map((g) => {
            const limitHit = g.perPersonLimit != null && g.myCountThisPeriod >= g.perPersonLimit;
            const short = g.pricePoints - points.available;
            // The page knows the balance and the price: an unaffordable good says by how much, and cannot be chosen.
            const why = !g.available
              ? g.stock > 0
                ? '暂不可兑换'
                : '已兑完'
              : limitHit
                ? `本期已兑满 ${g.perPersonLimit} 件`
                : short > 0
                  ? `积分不够，还差 ${short} 分`
                  : '';
            return (
              <View key={g.id} className="card goods-card" style={{ flex: '1 1 40%', marginBottom: 0 }}>
                <GoodsPicture url={g.pictureUrl} name={g.name} />
                <Text className="text goods-name" style={{ fontWeight: 600 }}>
                  {g.name}
                </Text>
                <Text className="text" style={{ color: '#b83227', fontWeight: 700 }}>
                  {g.pricePoints} 积分
                </Text>
                <Text className="muted">
                  {g.stock > 0 ? `还剩 ${g.stock} 件` : '已兑完'}
                  {g.perPersonLimit ? ` · ${periodLabel[g.limitPeriod]}限 ${g.perPersonLimit} 件` : ''}
                </Text>
                <ActionButton
                  className="redeem"
                  disabled={Boolean(why)}
                  aria-label={why ? `${g.name}：${why}` : `兑换${g.name}`}
                  onClick={() => {
                    setError('');
                    setChoosing(g);
                  }}
                >
                  {why || '兑换'}
                </ActionButton>
              </View>
            );
          })}
        </View>
      )}
      {goods.length ? (
        <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
      ) : null}
      {choosing ? (
        <View className="mask">
          <View className="sheet stack redeem-confirm">
            <Text className="card-title">确认兑换</Text>
            <Text className="text">
              用 {choosing.pricePoints} 积分兑换「{choosing.name}」。
            </Text>
            <Text className="text">兑换后剩余可用积分 {Math.max(0, points.available - choosing.pricePoints)}。</Text>
            <Text className="muted">请在 {choosing.pickupDays} 天内带领取码到社区服务中心领取；过期未领，积分自动退回。领取前可以取消。</Text>
            {error ? (
              <View className="banner alert" role="alert">
                {error}
              </View>
            ) : null}
            <View className="btn-row">
              <Button className="btn plain" onClick={() => setChoosing(null)}>
                再想想
              </Button>
              <ActionButton
                className="redeem-yes"
                loading={busy}
                disabled={busy || choosing.pricePoints > points.available}
                onClick={() => void redeem(choosing)}
              >
                确认兑换
              </ActionButton>
            </View>
          </View>
        </View>
      ) : null}
    </View>
  );
}

/** The good's picture, or — when it has none or it does not load — a placeholder with its name. */
function GoodsPicture({ url, name }: { url: string | null | undefined; name: string }) {
  const [broken, setBroken] = useState(false);
  if (!url || broken) {
    return (
      <View className="goods-picture-missing" aria-hidden="true">
        <View>
          <Text>{name}</Text>
          <Text className="muted">{broken ? '图片打不开' : '暂无图片'}</Text>
        </View>
      </View>
    );
  }
  return <Image className="goods-picture" src={url} mode="aspectFill" {...alt(name)} onError={() => setBroken(true)} />;
}

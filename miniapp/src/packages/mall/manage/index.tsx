import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button, Input, Switch } from '@tarojs/components';
import { Uploader } from '@/components/Uploader';
import { filesApi } from '@/api/files';
import { runAction } from '@/lib/feedback';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { mallApi, type Goods } from '@/api/mall';
import { ApiError } from '@/api/client';
import { usePagedList } from '@/lib/pageData';
import { currentCommunity } from '@/lib/session';
import { toast } from '@/lib/feedback';

export default function ManageGoodsPage() {
  return (
    <Page>
      {({ me }) => {
        const c = currentCommunity(me);
        return c ? <Manage communityId={c.id} /> : <Empty text="只有社区工作人员可以管理商品。" />;
      }}
    </Page>
  );
}

function Manage({ communityId }: { communityId: string }) {
  const list = usePagedList((cursor) => mallApi.goods(communityId, true, cursor), [communityId]);
  const { state, reload } = list;
  const [form, setForm] = useState({ name: '', price: '', stock: '', limit: '' });
  const [restock, setRestock] = useState<Record<string, { qty: string; reason: string }>>({});
  async function create() {
    try {
      await mallApi.createGoods({
        communityId,
        name: form.name.trim(),
        pricePoints: Number(form.price),
        initialStock: Number(form.stock || 0),
        perPersonLimit: form.limit ? Number(form.limit) : null,
      });
      setForm({ name: '', price: '', stock: '', limit: '' });
      toast('已上架');
      await reload();
    } catch (e) {
      toast(e instanceof ApiError ? (Object.values(e.fields)[0] ?? e.message) : '上架失败');
    }
  }
  async function saveStock(g: Goods) {
    const r = restock[g.id];
    try {
      await mallApi.restock(g.id, Number(r?.qty), r?.reason ?? '');
      setRestock({ ...restock, [g.id]: { qty: '', reason: '' } });
      toast('已记录');
      await reload();
    } catch (e) {
      toast(e instanceof ApiError ? (Object.values(e.fields)[0] ?? e.message) : '保存失败');
    }
  }
  async function toggle(g: Goods, onShelf: boolean) {
    try {
      await mallApi.updateGoods(g.id, {
        communityId,
        name: g.name,
        description: g.description,
        pictureUrl: g.pictureUrl,
        pricePoints: g.pricePoints,
        perPersonLimit: g.perPersonLimit,
        limitPeriod: g.limitPeriod,
        availableFrom: g.availableFrom,
        availableUntil: g.availableUntil,
        onShelf,
        pickupDays: g.pickupDays,
      });
      await reload();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : '保存失败');
    }
  }
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  return (
    <View>
      <Button className="btn secondary" style={{ marginBottom: '24px' }} onClick={() => Taro.navigateTo({ url: '/packages/mall/report/index' })}>
        查看台账（发放、积分消耗、未领取）
      </Button>
      <View className="card stack">
        <Text className="card-title">上架新商品</Text>
        <Input className="input" placeholder="商品名称" {...named('商品名称')} value={form.name} onInput={(e) => setForm({ ...form, name: e.detail.value })} />
        <Input
          className="input"
          type="number"
          placeholder="积分价格"
          {...named('积分价格')}
          value={form.price}
          onInput={(e) => setForm({ ...form, price: e.detail.value })}
        />
        <Input
          className="input"
          type="number"
          placeholder="首批数量"
          {...named('首批数量')}
          value={form.stock}
          onInput={(e) => setForm({ ...form, stock: e.detail.value })}
        />
        <Input
          className="input"
          type="number"
          placeholder="每人每月限兑（不填不限）"
          {...named('每人每月限兑（不填不限）')}
          value={form.limit}
          onInput={(e) => setForm({ ...form, limit: e.detail.value })}
        />
        <ActionButton className="btn" disabled={form.name.trim().length < 2 || !form.price} onClick={() => void create()}>
          上架
        </ActionButton>
      </View>
      {state.data.map((g) => (
        <View key={g.id} className="card stack">
          <View className="row">
            <Text className="card-title">{g.name}</Text>
            <Switch checked={g.onShelf} color="#b83227" {...named(`${g.name} 上架`)} onChange={(e) => void toggle(g, e.detail.value)} />
          </View>
          <Text className="muted">
            {g.pricePoints} 积分 · 货架 {g.stock} · 待领 {g.reserved} · 已发 {g.handedOver} · 累计入库 {g.totalStocked}
          </Text>
          <View className="btn-row">
            <Input
              className="input"
              type="text"
              placeholder="数量（减少填负数）"
              {...named('数量（减少填负数）')}
              value={restock[g.id]?.qty ?? ''}
              onInput={(e) => setRestock({ ...restock, [g.id]: { qty: e.detail.value, reason: restock[g.id]?.reason ?? '' } })}
            />
            <Input
              className="input"
              placeholder="原因"
              {...named('原因')}
              value={restock[g.id]?.reason ?? ''}
              onInput={(e) => setRestock({ ...restock, [g.id]: { qty: restock[g.id]?.qty ?? '', reason: e.detail.value } })}
            />
          </View>
          <ActionButton className="btn plain" disabled={!restock[g.id]?.qty} onClick={() => void saveStock(g)}>
            记录补货 / 更正
          </ActionButton>
          <GoodsPicture goodsId={g.id} communityId={communityId} onDone={reload} />
        </View>
      ))}
      <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
    </View>
  );
}

/** A photo of the good for the shelf: uploaded, then attached (the newest checked one is shown). */
function GoodsPicture({ goodsId, communityId, onDone }: { goodsId: string; communityId: string; onDone: () => Promise<void> }) {
  const [round, setRound] = useState(0);
  return (
    <Uploader
      key={round}
      communityId={communityId}
      purpose="goods"
      label="商品图片"
      max={1}
      onChange={(files) => {
        if (!files.length) return;
        void runAction(
          () =>
            filesApi.attach(
              'goods',
              goodsId,
              files.map((f) => f.id),
            ),
          '图片已换上',
          async () => {
            setRound((n) => n + 1);
            await onDone();
          },
        );
      }}
    />
  );
}

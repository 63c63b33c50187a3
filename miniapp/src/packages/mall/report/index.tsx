import { shanghaiDate } from '@contracts/time';
import { useState } from 'react';
import { View, Text, Picker, Button } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { mallApi } from '@/api/mall';
import { usePagedList } from '@/lib/pageData';
import { currentCommunity } from '@/lib/session';

const today = () => shanghaiDate();
const monthStart = () => `${today().slice(0, 7)}-01`;

/** For the committee's accounts and the 财务公开 of goods bought with public money. */
export default function MallReportPage() {
  return (
    <Page>
      {({ me }) => {
        const c = currentCommunity(me);
        return c ? <Report communityId={c.id} /> : <Empty text="只有社区工作人员可以查看台账。" />;
      }}
    </Page>
  );
}

function Report({ communityId }: { communityId: string }) {
  const [from, setFrom] = useState(monthStart());
  const [to, setTo] = useState(today());
  const list = usePagedList(
    async (cursor) => {
      const r = await mallApi.report(communityId, from, to, cursor);
      return { ...r, items: r.goods };
    },
    [communityId, from, to],
  );
  const { state, reload, first } = list;
  return (
    <View>
      <View className="card btn-row">
        <Picker mode="date" value={from} onChange={(e) => setFrom(e.detail.value)}>
          <View className="input picker">从 {from}</View>
        </Picker>
        <Picker mode="date" value={to} onChange={(e) => setTo(e.detail.value)}>
          <View className="input picker">到 {to}</View>
        </Picker>
      </View>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void reload()} /> : null}
      {state.status === 'ready' && first ? (
        <View>
          <View className="card stack">
            <Text className="text">
              发放 {first.handedOverCount} 件，消耗积分 {first.pointsConsumed}
            </Text>
            <Text className="text">
              未领取 {first.outstanding} 件（占用积分 {first.outstandingPoints}）
            </Text>
          </View>
          <View className="card">
            {state.data.map((g) => (
              <View key={g.id} className="list-item">
                <Text className="text">
                  {g.name}（{g.pricePoints} 分）
                </Text>
                <Text className="muted">
                  本期发放 {g.handedOverInPeriod} · 本期入库 {g.restockedInPeriod} · 货架 {g.stock} · 待领 {g.reserved} · 累计发放 {g.handedOver}
                </Text>
              </View>
            ))}
            {list.hasMore ? (
              <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
            ) : null}
          </View>
          {process.env.TARO_ENV === 'h5' ? (
            <Button className="btn no-print" onClick={() => window.print()}>
              打印台账
            </Button>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

import { useState } from 'react';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { View, Text, ScrollView, Button } from '@tarojs/components';
import { Page } from '../../../components/Page';
import { Empty, ErrorState, Loading } from '../../../components/StateView';
import { NoticeItem } from '../../../components/NoticeItem';
import { noticesApi, type NoticeSummary } from '../../../api/notices';
import { useLoad } from '../../../lib/useLoad';
import { categoryLabel } from '../../../lib/format';
import { currentCommunity } from '../../../lib/session';

const FILTERS = ['', 'policy', 'routine', 'major', 'temporary', 'hotspot', 'party', 'affairs', 'finance', 'emergency'];

export default function NoticeListPage() {
  const { params } = useRouter();
  return <Page>{({ me }) => {
    const c = currentCommunity(me);
    return c ? <NoticeList communityId={c.id} initial={params.category ?? ''} /> : <Empty text="认证为居民后，可以看到本社区的公告和公开。" />;
  }}</Page>;
}

function NoticeList({ communityId, initial }: { communityId: string; initial: string }) {
  const [category, setCategory] = useState(initial);
  const [more, setMore] = useState<NoticeSummary[]>([]);
  const [end, setEnd] = useState(false);
  const [state, reload] = useLoad(async () => {
    setMore([]);
    const r = await noticesApi.list(communityId, category || undefined);
    setEnd(r.notices.length < 20);
    return r.notices;
  }, [communityId, category]);
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()));

  async function loadMore(items: NoticeSummary[]) {
    const last = [...items, ...more].at(-1);
    if (!last) return;
    const r = await noticesApi.list(communityId, category || undefined, last.publishedAt);
    setMore((m) => [...m, ...r.notices]);
    setEnd(r.notices.length < 20);
  }

  return (
    <View>
      <ScrollView scrollX className="filters" style={{ whiteSpace: 'nowrap', marginBottom: '16px' }}>
        {FILTERS.map((f) => (
          <Text key={f || 'all'} className={`tag filter ${category === f ? 'ok' : ''}`} style={{ padding: '10px 18px' }} onClick={() => setCategory(f)}>
            {f ? categoryLabel[f] : '全部'}
          </Text>
        ))}
      </ScrollView>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text={category ? `还没有${categoryLabel[category]}` : '还没有公告'} /> : null}
      {state.status === 'ready' && state.data.length > 0 ? (
        <View className="card">
          {[...state.data, ...more].map((n) => <NoticeItem key={n.id} n={n} />)}
          {!end ? <Button className="btn plain" onClick={() => void loadMore(state.data)}>加载更多</Button> : <Text className="muted" style={{ textAlign: 'center' }}>没有更多了</Text>}
        </View>
      ) : null}
    </View>
  );
}

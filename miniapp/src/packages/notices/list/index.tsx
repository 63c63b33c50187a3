import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Chips } from '@/components/Chips';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { NoticeItem } from '@/components/NoticeItem';
import { noticesApi } from '@/api/notices';
import { usePagedList } from '@/lib/pageData';
import { categoryLabel } from '@/lib/format';
import { currentCommunity } from '@/lib/session';

const FILTERS = ['', 'policy', 'routine', 'major', 'temporary', 'hotspot', 'party', 'affairs', 'finance', 'emergency'];

export default function NoticeListPage() {
  const { params } = useRouter();
  return (
    <Page>
      {({ me }) => {
        const c = currentCommunity(me);
        return c ? <NoticeList communityId={c.id} initial={params.category ?? ''} /> : <Empty text="认证为居民后，可以看到本社区的公告和公开。" />;
      }}
    </Page>
  );
}

function NoticeList({ communityId, initial }: { communityId: string; initial: string }) {
  const [category, setCategory] = useState(initial);
  const list = usePagedList((cursor) => noticesApi.list(communityId, category || undefined, cursor), [communityId, category]);
  const { state } = list;

  return (
    <View>
      <Chips
        label="公告分类"
        className="filters"
        value={category}
        onChange={setCategory}
        options={FILTERS.map((f) => ({ key: f, label: f ? categoryLabel[f] : '全部' }))}
      />
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void list.reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text={category ? `还没有${categoryLabel[category]}` : '还没有公告'} /> : null}
      {state.status === 'ready' && state.data.length > 0 ? (
        <View className="card">
          {state.data.map((n) => (
            <NoticeItem key={n.id} n={n} />
          ))}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      ) : null}
    </View>
  );
}

import { ActionButton } from '@/components/ActionButton';
import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { hallApi } from '@/api/hall';
import { ApiError, newIdempotencyKey } from '@/api/client';
import { usePagedList } from '@/lib/pageData';
import { formatSpan } from '@/lib/format';

export default function BookPage() {
  const { params } = useRouter();
  return <Page>{() => <Book itemId={params.id ?? ''} />}</Page>;
}

function Book({ itemId }: { itemId: string }) {
  const list = usePagedList((cursor) => hallApi.slots(itemId, cursor), [itemId]);
  const { state, reload } = list;
  const [key, setKey] = useState(newIdempotencyKey);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  if (state.data.length === 0) return <Empty text="最近没有可预约的时段，请打社区电话预约。" />;
  async function book(slotId: string) {
    try {
      await hallApi.book(slotId, key);
      setKey(newIdempotencyKey());
      await Taro.showToast({ title: '预约成功', icon: 'success' });
      await reload();
    } catch (e) {
      setKey(newIdempotencyKey());
      void Taro.showToast({ title: e instanceof ApiError ? e.message : '预约失败', icon: 'none' });
    }
  }
  return (
    <View className="card">
      <Text className="muted">选一个时段，按时到窗口，不用排队。开始前 2 小时以前可以在“我的办事”里取消。</Text>
      {state.data.map((s) => (
        <View key={s.id} className="list-item row">
          <View>
            <Text className="text">{formatSpan(s.startsAt, s.endsAt)}</Text>
            <Text className="muted">剩 {s.capacity - s.booked} 个</Text>
          </View>
          {s.mine ? (
            <Text className="tag ok">已约</Text>
          ) : (
            <ActionButton className="btn" disabled={s.booked >= s.capacity} onClick={() => void book(s.id)}>
              {s.booked >= s.capacity ? '约满' : '预约'}
            </ActionButton>
          )}
        </View>
      ))}
      <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
    </View>
  );
}

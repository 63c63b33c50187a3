import { useState } from 'react';
import { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Textarea, Picker } from '@tarojs/components';
import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { gridApi } from '@/api/grid';
import { usePageData, usePagedList } from '@/lib/pageData';
import { runAction } from '@/lib/feedback';
import { shanghaiDate } from '@contracts/time';
import { GridCommunity } from '../components/GridCommunity';
import '../grid.css';

export default function LogsPage() {
  const { params } = useRouter();
  return (
    <Page>
      {({ me }) => (
        <GridCommunity me={me} fromUrl={params.communityId} empty="民情日志给网格员使用。">
          {(id) => <Logs communityId={id} />}
        </GridCommunity>
      )}
    </Page>
  );
}

/** 民情日志: what I saw and did today (or a day this month I forgot to write up). */
function Logs({ communityId }: { communityId: string }) {
  const [desk] = usePageData(() => gridApi.desk(communityId), [communityId]);
  const list = usePagedList((cursor) => gridApi.logs(communityId, cursor), [communityId]);
  const [day, setDay] = useState(shanghaiDate());
  const [body, setBody] = useState('');
  const [gridIndex, setGridIndex] = useState(0);
  useDidShow(() => void list.reload());
  const grids = desk.status === 'ready' ? desk.data.grids : [];
  const grid = grids[gridIndex] ?? grids[0];
  const { state } = list;
  async function save() {
    if (!grid) return;
    const ok = await runAction(
      () => gridApi.writeLog(grid.id, day, body.trim()),
      '日志已保存',
      () => list.reload(),
    );
    if (ok) setBody('');
  }
  return (
    <View>
      {grid ? (
        <View className="card stack log-form">
          <Text className="card-title">写日志</Text>
          {grids.length > 1 ? (
            <Picker mode="selector" range={grids.map((g) => g.name)} onChange={(e) => setGridIndex(Number(e.detail.value))}>
              <View className="input picker">{grid.name}</View>
            </Picker>
          ) : (
            <Text className="muted">{grid.name}</Text>
          )}
          <Picker mode="date" value={day} start={shanghaiDate(Date.now(), -31)} end={shanghaiDate()} onChange={(e) => setDay(e.detail.value)}>
            <View className="input picker log-day">{day}</View>
          </Picker>
          <Textarea
            className="input textarea log-body"
            value={body}
            maxlength={2000}
            {...named('日志内容')}
            placeholder="今天走访、巡查、处理了什么，居民提了什么"
            onInput={(e) => setBody(e.detail.value)}
          />
          <ActionButton className="log-save" disabled={body.trim().length < 2} onClick={() => void save()}>
            保存
          </ActionButton>
        </View>
      ) : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void list.reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text="还没有日志。" /> : null}
      {state.status === 'ready' && state.data.length ? (
        <View className="card log-list">
          {state.data.map((l) => (
            <View key={l.id} className="list-item">
              <Text className="muted">
                {l.day}
                {l.gridName ? ` · ${l.gridName}` : ''}
                {l.author ? ` · ${l.author}` : ''}
              </Text>
              <Text className="text">{l.body}</Text>
            </View>
          ))}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      ) : null}
    </View>
  );
}

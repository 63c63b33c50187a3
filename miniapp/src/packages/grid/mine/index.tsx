import Taro, { useDidShow } from '@tarojs/taro';
import { View, Button } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { gridApi } from '@/api/grid';
import { usePagedList } from '@/lib/pageData';
import { ReportItem } from '../components/ReportItem';
import '../grid.css';

export default function MyReportsPage() {
  return <Page>{() => <MyReports />}</Page>;
}

/** 我的随手拍: what I reported and what I joined, newest first. */
function MyReports() {
  const list = usePagedList((cursor) => gridApi.mine(cursor), []);
  useDidShow(() => void list.reload());
  const { state } = list;
  const report = () => Taro.navigateTo({ url: '/packages/grid/new/index' });
  return (
    <View>
      <Button className="btn new-report" onClick={report}>
        随手拍：反映一个问题
      </Button>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void list.reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text="还没有反映过问题。看到路灯坏了、垃圾没清、楼道堵了，拍一下发给网格员。" /> : null}
      {state.status === 'ready' && state.data.length ? (
        <View className="card my-reports">
          {state.data.map((r) => (
            <ReportItem key={r.id} r={r} />
          ))}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      ) : null}
    </View>
  );
}

import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { gridApi } from '@/api/grid';
import { usePagedList } from '@/lib/pageData';
import { formatDateTime } from '@/lib/format';
import '../grid.css';

export default function CallsPage() {
  return (
    <Page>
      {({ me }) =>
        me.departments.length ? <Calls names={me.departments.map((d) => d.name).join('、')} /> : <Empty text="只有街道各部门的报到联系人可以看这里。" />
      }
    </Page>
  );
}

/** 吹哨部门报到: the reports my department was called onto, unanswered first. */
function Calls({ names }: { names: string }) {
  const list = usePagedList((cursor) => gridApi.myCalls(cursor), []);
  useDidShow(() => void list.reload());
  const { state } = list;
  return (
    <View>
      <View className="card">
        <Text className="text">{names}：社区或街道叫您到场处理的事，请到场后在每件事里“报到”并写明做了什么。</Text>
      </View>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void list.reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text="现在没有叫您部门报到的事。" /> : null}
      {state.status === 'ready' && state.data.length ? (
        <View className="card department-call-list">
          {state.data.map((c) => {
            const late = !c.answeredAt && new Date(c.dueAt).getTime() < Date.now();
            return (
              <View key={c.id} className="list-item" role="link" onClick={() => Taro.navigateTo({ url: `/packages/grid/report/index?id=${c.reportId}` })}>
                <View className="row">
                  <Text className="text">
                    {c.report.categoryName} · {c.report.place ?? ''}
                  </Text>
                  <Text className={`tag ${c.answeredAt ? 'ok' : late ? 'bad' : 'warn'}`}>{c.answeredAt ? '已报到' : late ? '已超时' : '待报到'}</Text>
                </View>
                <Text className="report-desc">{c.report.description}</Text>
                <Text className={`report-meta ${late ? 'overdue' : ''}`}>
                  {c.department} · 叫到 {formatDateTime(c.calledAt)} · {formatDateTime(c.dueAt)} 前报到
                </Text>
              </View>
            );
          })}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      ) : null}
    </View>
  );
}

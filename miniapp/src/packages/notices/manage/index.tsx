import { currentCommunity } from '@/lib/session';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { noticesApi } from '@/api/notices';
import { usePagedList } from '@/lib/pageData';
import { categoryLabel, formatDateTime } from '@/lib/format';
import { hasRole } from '@/lib/session';

const statusLabel: Record<string, string> = { draft: '草稿', submitted: '待监督委员会审核', returned: '被退回，待修改', published: '已发布' };

/** Committee: drafts, returned and waiting items. Supervisors: the review queue. */
export default function NoticeWorkPage() {
  const { params } = useRouter();
  return (
    <Page>
      {({ me }) => {
        const communityId = params.communityId ?? currentCommunity(me)?.id ?? '';
        return <Work communityId={communityId} isCommittee={hasRole(me, communityId, ['committee'])} />;
      }}
    </Page>
  );
}

function Work({ communityId, isCommittee }: { communityId: string; isCommittee: boolean }) {
  const list = usePagedList((cursor) => noticesApi.work(communityId, cursor), [communityId]);
  const { state, reload } = list;
  useDidShow(() => void reload());
  return (
    <View>
      {isCommittee ? (
        <View className="btn-row" style={{ marginBottom: '24px' }}>
          <Button className="btn new-notice" onClick={() => Taro.navigateTo({ url: '/packages/notices/compose/index' })}>
            写新公告
          </Button>
          <Button className="btn secondary new-finance" onClick={() => Taro.navigateTo({ url: '/packages/notices/compose/index?category=finance' })}>
            写财务公开
          </Button>
        </View>
      ) : (
        <View className="banner info">这里是等待监督委员会审核的村(居)务公开和财务公开。请核对内容和每一笔收支，通过后居民才能看到。</View>
      )}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text={isCommittee ? '没有草稿或待处理的公告' : '没有待审核的公开事项'} /> : null}
      {state.status === 'ready' && state.data.length > 0 ? (
        <View className="card">
          {state.data.map((i) => (
            <View
              key={`${i.id}-${i.version}`}
              className="list-item work-item"
              role="link"
              onClick={() => Taro.navigateTo({ url: `/packages/notices/detail/index?id=${i.id}` })}
            >
              <View>
                <Text className="tag">{categoryLabel[i.category]}</Text>
                <Text className={`tag ${i.status === 'returned' ? 'bad' : 'warn'}`}>{statusLabel[i.status]}</Text>
                {i.version > 1 ? <Text className="tag">更正 第{i.version}版</Text> : null}
              </View>
              <Text className="text" style={{ fontWeight: 600 }}>
                {i.title}
              </Text>
              <Text className="muted">{i.submittedAt ? `提交于 ${formatDateTime(i.submittedAt)}` : `编辑于 ${formatDateTime(i.writtenAt)}`}</Text>
              {i.reviewComment && i.status === 'returned' ? <Text className="muted">退回意见：{i.reviewComment}</Text> : null}
            </View>
          ))}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      ) : null}
    </View>
  );
}

import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { Page } from '../../components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '../../components/StateView';
import { affairsApi } from '../../api/affairs';
import { usePageData, usePagedList } from '../../lib/pageData';
import { formatDate } from '../../lib/format';
import { currentCommunity, hasRole } from '../../lib/session';
import type { Me } from '../../api/core';

const statusLabel: Record<string, string> = { collecting: '征集联名', answered: '已答复', in_procedure: '议事中', decided: '已决议', rejected: '未通过' };

export default function AffairsPage() {
  return (
    <Page>
      {({ me }) => {
        const c = currentCommunity(me);
        return c && c.roles.length ? (
          <Affairs me={me} communityId={c.id} />
        ) : (
          <Empty text="认证为居民后可以提议题、联名和投票。" action="去认证" onAction={() => Taro.navigateTo({ url: '/packages/account/verify/index' })} />
        );
      }}
    </Page>
  );
}

function Affairs({ me, communityId }: { me: Me; communityId: string }) {
  // Topics scroll page by page; polls and decisions show their latest page.
  const topics = usePagedList((cursor) => affairsApi.topics(communityId, cursor), [communityId]);
  const [state, reloadRest] = usePageData(async () => {
    const [p, pubs] = await Promise.all([affairsApi.polls(communityId), affairsApi.publications(communityId)]);
    return { polls: p.items, publications: pubs.items };
  }, [communityId]);
  const reload = async () => {
    await Promise.all([topics.reload(), reloadRest()]);
  };
  useDidShow(() => void reload());
  const go = (url: string) => Taro.navigateTo({ url });
  if (state.status === 'loading' || topics.state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  if (topics.state.status === 'error') return <ErrorState message={topics.state.message} onRetry={() => void reload()} />;
  const d = { ...state.data, topics: topics.state.data };
  const committee = hasRole(me, communityId, ['committee']);
  return (
    <View className="affairs">
      <View className="btn-row" style={{ marginBottom: '24px' }}>
        <Button className="btn raise-topic" onClick={() => go('/packages/affairs/raise/index')}>
          提出议题
        </Button>
        {committee ? (
          <Button className="btn secondary" onClick={() => go('/packages/affairs/new-poll/index')}>
            发起投票
          </Button>
        ) : null}
      </View>
      <View className="card topics">
        <Text className="card-title">议题</Text>
        {d.topics.length === 0 ? (
          <Text className="muted">还没有议题。身边有需要大家商量的事，就提出来。</Text>
        ) : (
          d.topics.map((t) => (
            <View key={t.id} className="list-item topic-item" role="link" onClick={() => go(`/packages/affairs/topic/index?id=${t.id}`)}>
              <View>
                <Text className={`tag ${t.status === 'decided' ? 'ok' : 'warn'}`}>{statusLabel[t.status]}</Text>
                {t.awaitingResponse ? <Text className="tag bad">联名已满，待两委回应</Text> : null}
                {t.currentStepName && t.status === 'in_procedure' ? <Text className="tag">{t.currentStepName}</Text> : null}
                {t.checkStatus === 'pending' ? <Text className="tag">审核中，通过后邻居可见</Text> : null}
                {t.checkStatus === 'rejected' ? <Text className="tag bad">未通过内容审核，只有您能看到</Text> : null}
              </View>
              <Text className="text" style={{ fontWeight: 600 }}>
                {t.title}
              </Text>
              <Text className="muted">
                联名 {t.cosigns}/{t.threshold} · {formatDate(t.createdAt)}
                {t.cosignedByMe ? ' · 我已联名' : ''}
              </Text>
            </View>
          ))
        )}
        {d.topics.length ? (
          <ListFooter hasMore={topics.hasMore} loadingMore={topics.loadingMore} moreError={topics.moreError} onMore={() => void topics.loadMore()} />
        ) : null}
      </View>
      <View className="card polls">
        <Text className="card-title">投票与调查</Text>
        {d.polls.length === 0 ? (
          <Text className="muted">暂时没有投票。</Text>
        ) : (
          d.polls.map((p) => (
            <View key={p.id} className="list-item poll-item" role="link" onClick={() => go(`/packages/affairs/poll/index?id=${p.id}`)}>
              <Text className="text" style={{ fontWeight: 600 }}>
                {p.title}
              </Text>
              <Text className="muted">
                {p.open ? `${formatDate(p.closesAt)} 截止` : '已结束，可看结果'} · {p.electorate === 'households' ? '每户一票' : '每人一票'}
                {p.voted ? ' · 已投' : ''}
              </Text>
            </View>
          ))
        )}
      </View>
      <View className="card decisions">
        <Text className="card-title">决议与实施结果</Text>
        {d.publications.length === 0 ? (
          <Text className="muted">还没有公示的决议。</Text>
        ) : (
          d.publications.map((p) => (
            <View key={p.id} className="list-item publication-item" role="link" onClick={() => go(`/packages/affairs/topic/index?id=${p.topicId}`)}>
              <Text className="text" style={{ fontWeight: 600 }}>
                {p.title}
              </Text>
              <Text className="muted">
                {formatDate(p.publishedAt)}
                {p.corrects ? ' · 更正' : ''}
              </Text>
            </View>
          ))
        )}
      </View>
    </View>
  );
}

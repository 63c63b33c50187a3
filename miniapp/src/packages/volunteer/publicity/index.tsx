import { named } from '@/lib/a11y';
import { LinkText } from '@/components/LinkText';
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button, Input } from '@tarojs/components';
import { askReason } from '@/lib/ask';
import { Page } from '@/components/Page';
import { ChainEntryLink } from '@/components/ChainEntryLink';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { pointsApi, type Publication } from '@/api/volunteer';
import { ApiError } from '@/api/client';
import { usePageData, usePagedList } from '@/lib/pageData';
import { entryKindLabel, formatDateTime, previousMonth } from '@/lib/format';
import { currentCommunity, hasRole } from '@/lib/session';
import { toast } from '@/lib/feedback';
import { trustApi } from '@/api/trust';
import { shortHash } from '@/lib/chain';

export default function PublicityPage() {
  return (
    <Page>
      {({ me }) => {
        const c = currentCommunity(me);
        return c ? <Publicity communityId={c.id} committee={hasRole(me, c.id, ['committee'])} /> : <Empty text="认证为居民后可以查看积分公示。" />;
      }}
    </Page>
  );
}

function Publicity({ communityId, committee }: { communityId: string; committee: boolean }) {
  const [month, setMonth] = useState<string | null>(null);
  const [list, reloadList] = usePageData(() => pointsApi.publications(communityId), [communityId]);
  const [ranking] = usePageData(() => pointsApi.rankings(communityId, month ?? previousMonth()), [communityId, month]);

  async function publish() {
    const m = previousMonth();
    const r = await Taro.showModal({ title: `公示 ${m} 的积分`, content: '公示后居民可以在异议期内提出异议，异议期结束积分才能兑换。', confirmText: '公示' });
    if (!r.confirm) return;
    try {
      await pointsApi.publish(communityId, m);
      await reloadList();
      setMonth(m);
    } catch (e) {
      toast(e instanceof ApiError ? e.message : '公示失败');
    }
  }

  if (list.status === 'loading') return <Loading />;
  if (list.status === 'error') return <ErrorState message={list.message} onRetry={() => void reloadList()} />;
  const months = list.data.items;
  const shown = month ?? months[0]?.month ?? null;
  return (
    <View>
      <View className="card">
        <View className="grid-links">
          {months.map((p) => (
            <Button key={p.month} className={`btn ${p.month === shown ? '' : 'plain'}`} onClick={() => setMonth(p.month)}>
              {p.month}
              {p.open ? '（异议期）' : ''}
            </Button>
          ))}
        </View>
        {committee ? (
          <Button className="btn secondary" style={{ marginTop: '16px' }} onClick={() => void publish()}>
            公示上个月的积分
          </Button>
        ) : null}
      </View>
      {shown ? <MonthView communityId={communityId} month={shown} /> : <Empty text="还没有公示过积分。" />}
      {ranking.status === 'ready' && ranking.data.people.length ? (
        <View className="card rankings">
          <Text className="card-title">{ranking.data.month} 积分榜</Text>
          {ranking.data.people.map((p, i) => (
            <View key={i} className="row list-item">
              <Text className="text">
                {i + 1}. {p.name}
                {p.mine ? '（我）' : ''}
              </Text>
              <Text className="text">{p.points}</Text>
            </View>
          ))}
          {ranking.data.teams.map((t) => (
            <View key={t.name} className="row list-item">
              <Text className="muted">{t.name}</Text>
              <Text className="muted">{t.points}</Text>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}

function MonthView({ communityId, month }: { communityId: string; month: string }) {
  const list = usePagedList(
    async (cursor) => {
      const r = await pointsApi.publication(communityId, month, cursor);
      return { ...r, items: r.entries };
    },
    [communityId, month],
  );
  const { state, reload, first } = list;
  const [objecting, setObjecting] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  if (state.status === 'loading' || (state.status === 'ready' && !first)) return <Loading />;
  if (state.status === 'error' || !first) return <ErrorState message={state.status === 'error' ? state.message : '加载失败'} onRetry={() => void reload()} />;
  const p: Publication = first;
  const entries = state.data;
  async function object(entryId: number) {
    try {
      await pointsApi.object(entryId, reason.trim());
      setObjecting(null);
      setReason('');
      toast('异议已提交，社区会核实处理');
      await reload();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : '提交失败');
    }
  }
  async function resolve(id: string, uphold: boolean) {
    const text = await askReason({ title: uphold ? '异议成立：处理意见' : '异议不成立：理由', placeholder: '提出异议的居民会看到' });
    if (!text) return;
    try {
      await pointsApi.resolve(id, uphold, text);
      await reload();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : '处理失败');
    }
  }
  return (
    <View className="card stack publication">
      <Text className="card-title">{p.month} 积分公示</Text>
      <Text className="muted">
        {p.open
          ? `异议期到 ${formatDateTime(p.windowClosesAt)}。对哪条有疑问，点“提异议”，写明理由。`
          : `异议期已于 ${formatDateTime(p.windowClosesAt)} 结束。`}
      </Text>
      <ChainAnchor communityId={communityId} publicationId={p.id} />
      {entries.length === 0 ? <Text className="muted">这个月没有积分变动。</Text> : null}
      {entries.map((e) => (
        <View key={e.id} className="list-item">
          <View className="row">
            <Text className="text">
              {e.name}
              {e.mine ? '（我）' : ''}
            </Text>
            <Text className="text">{e.delta > 0 ? `+${e.delta}` : e.delta}</Text>
          </View>
          <Text className="muted">
            {entryKindLabel[e.kind] ?? e.kind} · {e.reason}
          </Text>
          {e.objections.map((o) => (
            <View key={o.id} className="banner info">
              异议：{o.reason}（{o.status === 'open' ? '处理中' : o.status === 'upheld' ? `成立：${o.resolution}` : `不成立：${o.resolution}`}）
              {o.status === 'upheld' ? <ChainEntryLink communityId={communityId} kind="objection" recordId={o.id} /> : null}
              {p.canResolve && o.status === 'open' ? (
                <View className="btn-row">
                  <Button className="btn plain" onClick={() => void resolve(o.id, false)}>
                    不成立
                  </Button>
                  <Button className="btn" onClick={() => void resolve(o.id, true)}>
                    成立，冲销
                  </Button>
                </View>
              ) : null}
            </View>
          ))}
          {p.open && !e.mine ? (
            objecting === e.id ? (
              <View className="stack">
                <Input
                  className="input"
                  placeholder="写明理由，至少 5 个字"
                  {...named('写明理由，至少 5 个字')}
                  value={reason}
                  onInput={(ev) => setReason(ev.detail.value)}
                />
                <View className="btn-row">
                  <Button className="btn plain" onClick={() => setObjecting(null)}>
                    取消
                  </Button>
                  <Button className="btn" onClick={() => void object(e.id)}>
                    提交异议
                  </Button>
                </View>
              </View>
            ) : (
              <LinkText className="object-link" onClick={() => setObjecting(e.id)}>
                提异议 ›
              </LinkText>
            )
          ) : null}
        </View>
      ))}
      <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
    </View>
  );
}

/** Where this month sits on the public record chain, for the paper copy (公开记录链: anyone can check it). */
function ChainAnchor({ communityId, publicationId }: { communityId: string; publicationId: string }) {
  const [state] = usePageData(() => trustApi.record(communityId, 'points_month', publicationId), [communityId, publicationId]);
  if (state.status !== 'ready') return null;
  const { entry, head } = state.data;
  return (
    <Text className="muted chain-anchor" onClick={() => Taro.navigateTo({ url: `/packages/public/chain/index?community=${communityId}` })}>
      公开记录链：本月公示是第 {entry.seq} 条，校验码 {shortHash(entry.hash)}
      {head && head.seq !== entry.seq ? `；最新第 ${head.seq} 条，校验码 ${shortHash(head.hash)}` : ''}。点这里核验 ›
    </Text>
  );
}

import { ActionButton } from '@/components/ActionButton';
import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { Page } from '@/components/Page';
import { ErrorState, Loading } from '@/components/StateView';
import { affairsApi } from '@/api/affairs';
import { ApiError, newIdempotencyKey } from '@/api/client';
import { usePageData } from '@/lib/pageData';
import { formatDateTime } from '@/lib/format';
import { currentCommunity } from '@/lib/session';
import { ChainEntryLink } from '@/components/ChainEntryLink';

export default function PollPage() {
  const { params } = useRouter();
  return <Page>{({ me }) => <PollView id={params.id ?? ''} communityId={currentCommunity(me)?.id ?? ''} />}</Page>;
}

function PollView({ id, communityId }: { id: string; communityId: string }) {
  const [state, reload] = usePageData(() => affairsApi.poll(id), [id]);
  const [chosen, setChosen] = useState<number[]>([]);
  const [key, setKey] = useState(newIdempotencyKey);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  const p = state.data;
  const pick = (n: number) => setChosen(p.multiple ? (chosen.includes(n) ? chosen.filter((x) => x !== n) : [...chosen, n]) : [n]);
  async function vote() {
    try {
      await affairsApi.vote(p.id, chosen, key);
      setMessage({ ok: true, text: '投票成功。投票是无记名的，没有人能看到您投了什么。' });
      setKey(newIdempotencyKey());
      await reload();
    } catch (e) {
      setMessage({ ok: false, text: e instanceof ApiError ? e.message : '投票失败' });
      if (e instanceof ApiError && e.status > 0) setKey(newIdempotencyKey());
    }
  }
  const total = p.results?.reduce((s, r) => s + r.votes, 0) ?? 0;
  return (
    <View className="poll">
      <View className="card stack">
        <Text className="hero">{p.title}</Text>
        {p.description ? <Text className="text">{p.description}</Text> : null}
        <Text className="muted">
          {p.electorate === 'households' ? '每户一票' : '每人一票'} · {p.multiple ? '可多选' : '单选'} · {formatDateTime(p.closesAt)} 截止 · 已有 {p.turnout}{' '}
          {p.electorate === 'households' ? '户' : '人'}投票
        </Text>
      </View>
      {message ? <View className={`banner ${message.ok ? 'info' : 'alert'} vote-message`}>{message.text}</View> : null}
      {p.open && !p.voted && p.eligible ? (
        <View className="card stack">
          {p.options.map((o) => (
            <Button key={o.id} className={`btn option option-${o.id} ${chosen.includes(o.id) ? '' : 'plain'}`} onClick={() => pick(o.id)}>
              {chosen.includes(o.id) ? '✓ ' : ''}
              {o.label}
            </Button>
          ))}
          <ActionButton className="btn secondary cast-vote" disabled={!chosen.length} onClick={() => void vote()}>
            投票
          </ActionButton>
        </View>
      ) : null}
      {p.voted ? (
        <View className="card">
          <Text className="text voted">
            您{p.electorate === 'households' ? '家' : ''}已投票。{p.results ? '' : '结果在投票结束后公布。'}
          </Text>
        </View>
      ) : null}
      {!p.eligible ? (
        <View className="card">
          <Text className="text">只有本社区认证居民可以投票。</Text>
        </View>
      ) : null}
      {p.results ? (
        <View className="card stack results">
          <Text className="card-title">结果</Text>
          <ChainEntryLink communityId={communityId} kind="poll_result" recordId={p.id} />
          {p.results.map((r) => (
            <View key={r.id} className="stack">
              <View className="row">
                <Text className="text">{r.label}</Text>
                <Text className="text result-votes">{r.votes} 票</Text>
              </View>
              <View style={{ height: '16px', background: '#efeae2', borderRadius: '8px' }}>
                <View style={{ height: '16px', width: `${total ? (r.votes * 100) / total : 0}%`, background: '#b83227', borderRadius: '8px' }} />
              </View>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}

import { named } from '../../../lib/a11y';
import { useState } from 'react';
import { View, Text, Button, Input } from '@tarojs/components';
import { Page } from '../../../components/Page';
import { Empty, ErrorState, Loading } from '../../../components/StateView';
import { volunteerApi } from '../../../api/volunteer';
import { ApiError } from '../../../api/client';
import { usePagedList } from '../../../lib/pageData';
import { formatDateTime } from '../../../lib/format';
import { currentCommunity, hasRole } from '../../../lib/session';
import type { Me } from '../../../api/core';
import { toast } from '../../../lib/feedback';


export default function WhistlePage() {
  return <Page>{({ me }) => {
    const c = currentCommunity(me);
    return c ? <Whistle me={me} communityId={c.id} /> : <Empty text="认证为居民后可以参加吹哨报到。" />;
  }}</Page>;
}

function Whistle({ me, communityId }: { me: Me; communityId: string }) {
  const list = usePagedList((cursor) => volunteerApi.whistles(communityId, cursor), [communityId]);
  const { state, reload } = list;
  const canCall = hasRole(me, communityId, ['committee', 'grid_worker']);
  const grids = me.communities.find((c) => c.id === communityId)?.grids ?? [];
  const [form, setForm] = useState({ title: '', place: '', detail: '' });
  async function blow() {
    try {
      await volunteerApi.blow({ communityId, ...form, gridId: hasRole(me, communityId, ['committee']) ? null : grids[0]?.id ?? null, hours: 4 });
      setForm({ title: '', place: '', detail: '' });
      toast('已发出，志愿者会收到提醒');
      await reload();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : '发出失败');
    }
  }
  return (
    <View>
      {canCall ? (
        <View className="card stack">
          <Text className="card-title">吹哨：请志愿者马上来帮忙</Text>
          <Input className="input" placeholder="发生了什么（例如 5号楼地下室进水）" {...named('发生了什么（例如 5号楼地下室进水）')} value={form.title} onInput={(e) => setForm({ ...form, title: e.detail.value })} />
          <Input className="input" placeholder="在哪里集合" {...named('在哪里集合')} value={form.place} onInput={(e) => setForm({ ...form, place: e.detail.value })} />
          <Input className="input" placeholder="需要带什么、几个人（选填）" {...named('需要带什么、几个人（选填）')} value={form.detail} onInput={(e) => setForm({ ...form, detail: e.detail.value })} />
          <Button className="btn" disabled={form.title.trim().length < 2 || form.place.trim().length < 2} onClick={() => void blow()}>吹哨</Button>
        </View>
      ) : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text="现在没有需要报到的呼叫。" /> : null}
      {state.status === 'ready' ? state.data.map((c) => (
        <View key={c.id} className="card stack whistle-call">
          <Text className="card-title">{c.title}</Text>
          <Text className="text">地点：{c.place}</Text>
          {c.detail ? <Text className="text">{c.detail}</Text> : null}
          <Text className="muted">{c.caller} 发起于 {formatDateTime(c.createdAt)} · 已有 {c.responseCount} 人报到{c.open ? '' : ' · 已结束'}</Text>
          {c.responders ? c.responders.map((r) => <Text key={r.respondedAt} className="muted">✓ {r.name}{r.etaMinutes != null ? `，约 ${r.etaMinutes} 分钟到` : ''}</Text>) : null}
          {c.open && !c.responders ? (
            c.responded ? <Text className="tag ok">您已报到，谢谢！</Text> : (
              <View className="btn-row">
                <Button className="btn" onClick={() => void volunteerApi.respond(c.id, 10).then(() => { toast('已报到'); return reload(); }).catch((e) => toast(e instanceof ApiError ? e.message : '报到失败'))}>我 10 分钟内到</Button>
                <Button className="btn secondary" onClick={() => void volunteerApi.respond(c.id, 30).then(() => reload()).catch((e) => toast(e instanceof ApiError ? e.message : '报到失败'))}>半小时内到</Button>
              </View>
            )
          ) : null}
        </View>
      )) : null}
    </View>
  );
}

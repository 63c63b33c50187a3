import { ActionButton } from '@/components/ActionButton';
import { TextField } from '@/components/Field';
import { useState } from 'react';
import { View, Text, Button } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/StateView';
import { volunteerApi } from '@/api/volunteer';
import { ApiError } from '@/api/client';
import { usePagedList } from '@/lib/pageData';
import { formatDateTime } from '@/lib/format';
import { currentCommunity, hasRole } from '@/lib/session';
import type { Me } from '@/api/core';
import { toast } from '@/lib/feedback';

export default function WhistlePage() {
  return (
    <Page>
      {({ me }) => {
        const c = currentCommunity(me);
        return c ? <Whistle me={me} communityId={c.id} /> : <Empty text="认证为居民后可以参加吹哨报到。" />;
      }}
    </Page>
  );
}

function Whistle({ me, communityId }: { me: Me; communityId: string }) {
  const list = usePagedList((cursor) => volunteerApi.whistles(communityId, cursor), [communityId]);
  const { state, reload } = list;
  const canCall = hasRole(me, communityId, ['committee', 'grid_worker']);
  const grids = me.communities.find((c) => c.id === communityId)?.grids ?? [];
  const [form, setForm] = useState({ title: '', place: '', detail: '' });
  async function blow() {
    try {
      await volunteerApi.blow({ communityId, ...form, gridId: hasRole(me, communityId, ['committee']) ? null : (grids[0]?.id ?? null), hours: 4 });
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
          <TextField
            label="发生了什么"
            required
            hint="例如：5号楼地下室进水"
            placeholder="如：地下室进水"
            value={form.title}
            max={60}
            onChange={(v) => setForm({ ...form, title: v })}
          />
          <TextField label="在哪里集合" required placeholder="如：5号楼门口" value={form.place} max={60} onChange={(v) => setForm({ ...form, place: v })} />
          <TextField label="需要带什么、几个人" placeholder="如：带水桶，4人" value={form.detail} max={200} onChange={(v) => setForm({ ...form, detail: v })} />
          <ActionButton disabled={form.title.trim().length < 2 || form.place.trim().length < 2} why="先写发生了什么、在哪里集合" onClick={() => void blow()}>
            吹哨
          </ActionButton>
        </View>
      ) : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text="现在没有需要报到的呼叫。" /> : null}
      {state.status === 'ready'
        ? state.data.map((c) => (
            <View key={c.id} className="card stack whistle-call">
              <Text className="card-title">{c.title}</Text>
              <Text className="text">地点：{c.place}</Text>
              {c.detail ? <Text className="text">{c.detail}</Text> : null}
              <Text className="muted">
                {c.caller} 发起于 {formatDateTime(c.createdAt)} · 已有 {c.responseCount} 人报到{c.open ? '' : ' · 已结束'}
              </Text>
              {c.responders
                ? c.responders.map((r) => (
                    <Text key={r.respondedAt} className="muted">
                      ✓ {r.name}
                      {r.etaMinutes != null ? `，约 ${r.etaMinutes} 分钟到` : ''}
                    </Text>
                  ))
                : null}
              {c.open && !c.responders ? (
                c.responded ? (
                  <Text className="tag ok">您已报到，谢谢！</Text>
                ) : (
                  <View className="btn-row">
                    <Button
                      className="btn"
                      onClick={() =>
                        void volunteerApi
                          .respond(c.id, 10)
                          .then(() => {
                            toast('已报到');
                            return reload();
                          })
                          .catch((e) => toast(e instanceof ApiError ? e.message : '报到失败'))
                      }
                    >
                      我 10 分钟内到
                    </Button>
                    <Button
                      className="btn secondary"
                      onClick={() =>
                        void volunteerApi
                          .respond(c.id, 30)
                          .then(() => reload())
                          .catch((e) => toast(e instanceof ApiError ? e.message : '报到失败'))
                      }
                    >
                      半小时内到
                    </Button>
                  </View>
                )
              ) : null}
            </View>
          ))
        : null}
    </View>
  );
}

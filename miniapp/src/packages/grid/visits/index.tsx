import { useState } from 'react';
import { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button, Input, Textarea, Picker } from '@tarojs/components';
import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { Tabs } from '@/components/Tabs';
import { gridApi } from '@/api/grid';
import { ApiError } from '@/api/client';
import { usePageData, usePagedList } from '@/lib/pageData';
import { formatDate, formatDateTime } from '@/lib/format';
import { runAction, toast } from '@/lib/feedback';
import { shanghaiDate } from '@contracts/time';
import { VISIT_TOPICS } from '@contracts/vocab';
import { GridCommunity } from '../components/GridCommunity';
import { HouseholdSearch } from '@/components/HouseholdSearch';
import '../grid.css';

export default function VisitsPage() {
  const { params } = useRouter();
  return (
    <Page>
      {({ me }) => (
        <GridCommunity me={me} fromUrl={params.communityId} empty="走访记录给网格员使用。">
          {(id) => <Visits communityId={id} />}
        </GridCommunity>
      )}
    </Page>
  );
}

type Tab = 'todo' | 'done';

/** 入户走访: the households of my grids not visited this quarter, and the visits I recorded with their follow-ups. */
function Visits({ communityId }: { communityId: string }) {
  // The committee reads the visit records; only a grid worker has households to visit.
  const [desk] = usePageData(() => gridApi.desk(communityId), [communityId]);
  if (desk.status === 'loading') return <Loading />;
  if (desk.status === 'error') return <ErrorState message={desk.message} />;
  return <VisitsOf communityId={communityId} worker={desk.data.isWorker} />;
}

function VisitsOf({ communityId, worker }: { communityId: string; worker: boolean }) {
  const [tab, setTab] = useState<Tab>(worker ? 'todo' : 'done');
  const [visiting, setVisiting] = useState<{ householdId: string; address: string } | null>(null);
  const todo = usePagedList(
    (cursor) => (worker ? gridApi.unvisited(communityId, cursor) : Promise.resolve({ items: [], nextCursor: null })),
    [communityId, worker],
  );
  const done = usePagedList((cursor) => gridApi.visits(communityId, cursor), [communityId]);
  const reload = async () => {
    await Promise.all([todo.reload(), done.reload()]);
  };
  useDidShow(() => void reload());
  if (visiting)
    return (
      <VisitForm
        h={visiting}
        onDone={async (saved) => {
          setVisiting(null);
          if (saved) {
            setTab('done');
            await reload();
          }
        }}
      />
    );
  const list = tab === 'todo' ? todo : done;
  const { state } = list;
  return (
    <View>
      {worker ? (
        <Tabs
          value={tab}
          onChange={setTab}
          tabs={[
            { key: 'todo', label: '本季度未走访' },
            { key: 'done', label: '走访记录' },
          ]}
        />
      ) : null}
      {tab === 'todo' ? (
        <View className="card">
          <HouseholdSearch communityId={communityId} action="记走访" onPick={setVisiting} />
        </View>
      ) : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void list.reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text={tab === 'todo' ? '本季度网格里的住户都走访过了。' : '还没有走访记录。'} /> : null}
      {tab === 'todo' && todo.state.status === 'ready' && todo.state.data.length ? (
        <View className="card unvisited">
          {todo.state.data.map((h) => (
            <View key={h.householdId} className="list-item row">
              <View>
                <Text className="text">{h.address}</Text>
                <Text className="muted">
                  {(h.residents ?? []).join('、')} · {h.lastVisitedAt ? `上次 ${formatDate(h.lastVisitedAt)}` : '没有走访过'}
                </Text>
              </View>
              <Button className="btn secondary visit-start" onClick={() => setVisiting(h)}>
                记走访
              </Button>
            </View>
          ))}
          <ListFooter hasMore={todo.hasMore} loadingMore={todo.loadingMore} moreError={todo.moreError} onMore={() => void todo.loadMore()} />
        </View>
      ) : null}
      {tab === 'done' && done.state.status === 'ready' && done.state.data.length ? (
        <View className="card visit-list">
          {done.state.data.map((v) => (
            <View key={v.id} className="list-item stack">
              <Text className="text">
                {v.address} · 见到 {v.met}
              </Text>
              <Text className="muted">
                {formatDateTime(v.visitedAt)}
                {v.visitedBy ? ` · ${v.visitedBy}` : ''}
                {v.topics.length ? ` · ${v.topics.join('、')}` : ''}
              </Text>
              {v.note ? <Text className="text">{v.note}</Text> : null}
              {v.followUp ? (
                <View className="row">
                  <Text className={`text ${!v.followUpDoneAt && v.followUpDue && v.followUpDue < shanghaiDate() ? 'overdue' : ''}`}>
                    跟进：{v.followUp}（{formatDate(v.followUpDue)} 前）
                  </Text>
                  {v.followUpDoneAt ? (
                    <Text className="tag ok">已跟进</Text>
                  ) : (
                    <Button
                      className="btn plain follow-up-done"
                      onClick={() =>
                        void runAction(
                          () => gridApi.followUpDone(v.id),
                          '已记为跟进完成',
                          () => done.reload(),
                        )
                      }
                    >
                      办好了
                    </Button>
                  )}
                </View>
              ) : null}
            </View>
          ))}
          <ListFooter hasMore={done.hasMore} loadingMore={done.loadingMore} moreError={done.moreError} onMore={() => void done.loadMore()} />
        </View>
      ) : null}
    </View>
  );
}

function VisitForm({ h, onDone }: { h: { householdId: string; address: string }; onDone: (saved: boolean) => Promise<void> }) {
  const [met, setMet] = useState('');
  const [topics, setTopics] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [followUp, setFollowUp] = useState('');
  const [due, setDue] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const toggle = (t: string) => setTopics((x) => (x.includes(t) ? x.filter((y) => y !== t) : [...x, t]));
  async function save() {
    if (!met.trim()) return setErrors({ met: '请写见到了谁，例如 户主本人' });
    if (followUp.trim() && !due) return setErrors({ followUpDue: '要跟进的事请选一个日期' });
    setBusy(true);
    try {
      await gridApi.recordVisit({
        householdId: h.householdId,
        met: met.trim(),
        topics: topics as never,
        note: note.trim(),
        followUp: followUp.trim() || null,
        followUpDue: followUp.trim() ? due : null,
      });
      toast('走访已记录');
      await onDone(true);
    } catch (e) {
      setErrors(e instanceof ApiError ? { ...e.fields, _: e.message } : { _: '没有保存成功，请再试一次' });
    } finally {
      setBusy(false);
    }
  }
  return (
    <View className="card stack visit-form">
      <Text className="card-title">走访 {h.address}</Text>
      <View className="field">
        <View className="field-label">见到了谁</View>
        <Input
          className="input visit-met"
          value={met}
          maxlength={60}
          placeholder="例如 户主本人、老人和保姆"
          {...named('见到了谁')}
          onInput={(e) => setMet(e.detail.value)}
        />
        {errors.met ? <View className="field-error">{errors.met}</View> : null}
      </View>
      <View className="field">
        <View className="field-label">关注事项</View>
        <View className="choices" role="group" aria-label="关注事项">
          {VISIT_TOPICS.map((t) => (
            <View
              key={t}
              className={`choice ${topics.includes(t) ? 'selected' : ''}`}
              role="checkbox"
              aria-checked={topics.includes(t)}
              onClick={() => toggle(t)}
            >
              {t}
            </View>
          ))}
        </View>
      </View>
      <View className="field">
        <View className="field-label">情况</View>
        <Textarea
          className="input textarea visit-note"
          value={note}
          maxlength={1000}
          {...named('情况')}
          placeholder="家里的情况、提到的困难和诉求"
          onInput={(e) => setNote(e.detail.value)}
        />
      </View>
      <View className="field">
        <View className="field-label">要跟进的事（选填）</View>
        <Input
          className="input visit-follow-up"
          value={followUp}
          maxlength={300}
          placeholder="例如 下周陪老人去办高龄津贴"
          {...named('要跟进的事')}
          onInput={(e) => setFollowUp(e.detail.value)}
        />
        {followUp.trim() ? (
          <Picker mode="date" value={due || shanghaiDate()} start={shanghaiDate()} onChange={(e) => setDue(e.detail.value)}>
            <View className="input picker visit-due">{due ? `${due} 前跟进` : '选择跟进日期'}</View>
          </Picker>
        ) : null}
        {errors.followUpDue ? <View className="field-error">{errors.followUpDue}</View> : null}
      </View>
      {errors._ ? (
        <View className="banner alert" role="alert">
          {errors._}
        </View>
      ) : null}
      <View className="btn-row">
        <Button className="btn plain" onClick={() => void onDone(false)}>
          取消
        </Button>
        <ActionButton className="visit-save" loading={busy} disabled={busy} onClick={() => void save()}>
          保存走访
        </ActionButton>
      </View>
    </View>
  );
}

import { currentCommunity } from '@/lib/session';
import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { useState } from 'react';
import { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button, Input, Textarea } from '@tarojs/components';
import { Attachments } from '@/components/Attachments';
import { ChainEntryLink } from '@/components/ChainEntryLink';
import { Page } from '@/components/Page';
import { ErrorState, Loading } from '@/components/StateView';
import { affairsApi, type Topic } from '@/api/affairs';
import { fetchAllPages, usePageData } from '@/lib/pageData';
import { formatDateTime } from '@/lib/format';
import { runAction } from '@/lib/feedback';

export default function TopicPage() {
  const { params } = useRouter();
  return <Page>{({ me }) => <TopicView id={params.id ?? ''} communityId={currentCommunity(me)?.id ?? ''} />}</Page>;
}

const act = runAction;

function TopicView({ id, communityId }: { id: string; communityId: string }) {
  const [state, reload] = usePageData(() => affairsApi.topic(id), [id]);
  const [comment, setComment] = useState('');
  useDidShow(() => void reload());
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  const t = state.data;
  const step = t.procedure?.steps.find((s) => s.stepNo === t.currentStep);
  return (
    <View className="topic">
      <View className="card stack">
        <Text className="hero">{t.title}</Text>
        <Text className="muted">
          {t.raisedBy} 提出 · {formatDateTime(t.createdAt)}
        </Text>
        <Text className="text">{t.description}</Text>
        <Attachments entity="topic" entityId={t.id} title="现场照片" />
        <Text className="text cosign-count">
          联名 {t.cosigns}/{t.threshold}
          {t.thresholdReachedAt ? '（已达到，两委须列入议事或公开答复）' : ''}
        </Text>
        {t.status === 'collecting' && !t.cosignedByMe ? (
          <Button className="btn cosign" onClick={() => void act(() => affairsApi.cosign(t.id), '已联名', reload)}>
            我也联名
          </Button>
        ) : null}
        {t.cosignedByMe ? <Text className="tag ok">我已联名</Text> : null}
        {t.answer ? <View className="banner info">两委答复：{t.answer}</View> : null}
      </View>
      {t.canManage && t.status === 'collecting' ? <HandleTopic t={t} communityId={communityId} reload={reload} /> : null}
      {t.procedure ? (
        <View className="card stack procedure">
          <Text className="card-title">{t.procedure.name}</Text>
          {t.procedure.steps.map((s) => (
            <Text
              key={s.stepNo}
              className={`text step ${s.stepNo === t.currentStep && t.status === 'in_procedure' ? 'current-step' : ''}`}
              style={{
                fontWeight: s.stepNo === t.currentStep && t.status === 'in_procedure' ? 700 : 400,
                color: (t.currentStep ?? 0) > s.stepNo || t.status === 'decided' ? '#1d5e22' : undefined,
              }}
            >
              {(t.currentStep ?? 0) > s.stepNo || t.status === 'decided' ? '✓' : s.stepNo === t.currentStep ? '▶' : '·'} {s.stepNo}. {s.name}
            </Text>
          ))}
        </View>
      ) : null}
      {t.status === 'in_procedure' && step && ((step.runBy === 'committee' && t.canManage) || (step.runBy === 'supervisor' && t.canSupervise)) ? (
        <RunStep t={t} communityId={communityId} reload={reload} />
      ) : null}
      {t.publications.length ? (
        <View className="card stack publications">
          <Text className="card-title">公示</Text>
          {t.publications.map((p) => (
            <View key={p.id} className="list-item publication">
              <Text className="text" style={{ fontWeight: 600 }}>
                {p.title}
              </Text>
              <Text className="muted">
                公示于 {formatDateTime(p.publishedAt)}
                {p.correctedBy ? ' · 已有更正' : ''}
              </Text>
              {p.body.split('\n').map((line, k) => (
                <Text key={k} className="text">
                  {line}
                </Text>
              ))}
              <Text className="muted decision-hash" style={{ wordBreak: 'break-all' }}>
                内容指纹（SHA-256）：{p.contentSha256}
              </Text>
              <ChainEntryLink communityId={communityId} kind="affairs" recordId={p.id} />
            </View>
          ))}
        </View>
      ) : null}
      {t.history.length ? (
        <View className="card history">
          <Text className="card-title">议事过程</Text>
          {t.history.map((h, k) => (
            <View key={k} className="list-item">
              <Text className="text">
                {h.stepNo}. {h.name}
                {h.outcome === 'sent_back' ? ` → 退回第 ${h.sentBackTo} 步` : ''}
              </Text>
              <Text className="muted">
                {h.runBy} · {formatDateTime(h.runAt)}
              </Text>
              {h.minutes ? <Text className="text">纪要：{h.minutes}</Text> : null}
              {h.meeting ? (
                <Text className="muted">
                  应到 {h.meeting.rosterSize} 人，实到 {h.meeting.present} 人；赞成 {h.meeting.yes}，反对 {h.meeting.no}，弃权 {h.meeting.abstain} ——{' '}
                  {h.meeting.passed ? '通过' : '未通过'}
                </Text>
              ) : null}
            </View>
          ))}
        </View>
      ) : null}
      <View className="card stack comments">
        <Text className="card-title">大家的意见（{t.comments.filter((c) => !c.hidden).length}）</Text>
        {t.comments.map((c) => (
          <View key={c.id} className="list-item">
            <Text className="text">{c.body}</Text>
            <Text className="muted">
              {c.author}
              {c.mine ? '（我）' : ''} · {formatDateTime(c.createdAt)}
              {c.hidden ? ` · 已隐藏：${c.hiddenReason}` : ''}
            </Text>
          </View>
        ))}
        <Input
          className="input comment-input"
          placeholder="说说您的看法"
          {...named('说说您的看法')}
          value={comment}
          onInput={(e) => setComment(e.detail.value)}
        />
        <ActionButton
          className="btn plain"
          disabled={comment.trim().length < 2}
          onClick={() => void act(() => affairsApi.comment(t.id, comment.trim()), '已发表', reload).then(() => setComment(''))}
        >
          发表意见
        </ActionButton>
      </View>
    </View>
  );
}

function HandleTopic({ t, communityId, reload }: { t: Topic; communityId: string; reload: () => Promise<void> }) {
  const [answer, setAnswer] = useState('');
  const [procs] = usePageData(() => affairsApi.procedures(communityId), [communityId]);
  return (
    <View className="card stack handle-topic">
      <Text className="card-title">两委处理</Text>
      {procs.status === 'ready'
        ? procs.data.procedures.map((p) => (
            <Button key={p.id} className="btn take-up" onClick={() => void act(() => affairsApi.takeUp(t.id, p.id), '已列入议事', reload)}>
              按“{p.name}”列入议事
            </Button>
          ))
        : null}
      <Textarea
        className="input"
        style={{ height: '160px', padding: '16px' }}
        placeholder="或者：不列入议事，公开说明理由"
        {...named('不列入议事时，公开说明理由')}
        value={answer}
        onInput={(e) => setAnswer(e.detail.value)}
      />
      <ActionButton
        className="btn secondary"
        disabled={answer.trim().length < 10}
        onClick={() => void act(() => affairsApi.answer(t.id, answer.trim()), '已公开答复', reload)}
      >
        公开答复
      </ActionButton>
    </View>
  );
}

function RunStep({ t, communityId, reload }: { t: Topic; communityId: string; reload: () => Promise<void> }) {
  const step = t.procedure!.steps.find((s) => s.stepNo === t.currentStep)!;
  const [minutes, setMinutes] = useState('');
  const [back, setBack] = useState('');
  return (
    <View className="card stack run-step">
      <Text className="card-title">
        第 {step.stepNo} 步：{step.name}
      </Text>
      {step.roster && !t.pendingMeeting?.passed ? <MeetingForm t={t} roster={step.roster} communityId={communityId} reload={reload} /> : null}
      {t.pendingMeeting ? (
        <Text className="muted meeting-recorded">
          已记录会议：实到 {t.pendingMeeting.present}/{t.pendingMeeting.rosterSize}，赞成 {t.pendingMeeting.yes} ——{' '}
          {t.pendingMeeting.passed ? '通过' : '未通过'}
        </Text>
      ) : null}
      {!step.roster || t.pendingMeeting?.passed ? (
        <>
          <Textarea
            className="input step-minutes"
            style={{ height: '160px', padding: '16px' }}
            placeholder="纪要：讨论了什么、结论是什么"
            {...named('纪要：讨论了什么、结论是什么')}
            value={minutes}
            onInput={(e) => setMinutes(e.detail.value)}
          />
          <Button
            className="btn complete-step"
            onClick={() => void act(() => affairsApi.step(t.id, minutes.trim()), step.publishes ? '已完成并公示' : '已完成', reload).then(() => setMinutes(''))}
          >
            {step.publishes ? '完成并公示' : '完成这一步'}
          </Button>
        </>
      ) : null}
      {(t.currentStep ?? 1) > 1 ? (
        <View className="stack">
          <Input className="input" placeholder="退回理由" {...named('退回理由')} value={back} onInput={(e) => setBack(e.detail.value)} />
          <ActionButton
            className="btn plain"
            disabled={back.trim().length < 2}
            onClick={() => void act(() => affairsApi.sendBack(t.id, (t.currentStep ?? 2) - 1, back.trim()), '已退回上一步', reload)}
          >
            退回上一步
          </ActionButton>
        </View>
      ) : null}
    </View>
  );
}

function MeetingForm({ t, roster, communityId, reload }: { t: Topic; roster: string; communityId: string; reload: () => Promise<void> }) {
  // The whole roster: attendance is ticked against every member.
  const [people] = usePageData(() => fetchAllPages((cursor) => affairsApi.roster(communityId, roster, cursor)), [communityId, roster]);
  const [present, setPresent] = useState<string[]>([]);
  const [motion, setMotion] = useState(t.title);
  const [yes, setYes] = useState('');
  const [no, setNo] = useState('0');
  const [abstain, setAbstain] = useState('0');
  if (people.status !== 'ready') return <Loading text="正在加载名册…" />;
  const all = people.data;
  const toggle = (id: string) => setPresent(present.includes(id) ? present.filter((x) => x !== id) : [...present, id]);
  return (
    <View className="stack meeting-form">
      <Text className="text">
        {roster === 'representative' ? '居民（村民）代表' : '党员'}名册 {all.length} 人，到会须超过三分之二（至少 {Math.floor((all.length * 2) / 3) + 1}{' '}
        人），赞成须超过到会人数一半。
      </Text>
      <Button className="btn plain select-all" onClick={() => setPresent(present.length === all.length ? [] : all.map((p) => p.id))}>
        {present.length === all.length ? '全部取消' : '全部到会'}
      </Button>
      <View className="chips" role="group" aria-label="到会人员">
        {all.map((p) => (
          <View
            key={p.id}
            className={`chip attendee ${present.includes(p.id) ? 'active' : ''}`}
            role="checkbox"
            aria-checked={present.includes(p.id)}
            onClick={() => toggle(p.id)}
          >
            <Text>
              {present.includes(p.id) ? '✓ ' : ''}
              {p.name}
            </Text>
          </View>
        ))}
      </View>
      <Text className="muted">已选到会 {present.length} 人</Text>
      <Input className="input meeting-motion" placeholder="表决事项" {...named('表决事项')} value={motion} onInput={(e) => setMotion(e.detail.value)} />
      <View className="btn-row">
        <Input className="input meeting-yes" type="number" placeholder="赞成" {...named('赞成')} value={yes} onInput={(e) => setYes(e.detail.value)} />
        <Input className="input meeting-no" type="number" placeholder="反对" {...named('反对')} value={no} onInput={(e) => setNo(e.detail.value)} />
        <Input
          className="input meeting-abstain"
          type="number"
          placeholder="弃权"
          {...named('弃权')}
          value={abstain}
          onInput={(e) => setAbstain(e.detail.value)}
        />
      </View>
      <Button
        className="btn record-meeting"
        onClick={() =>
          void act(
            () =>
              affairsApi.meeting(t.id, {
                motion: motion.trim(),
                attendeeIds: present,
                yes: Number(yes || 0),
                no: Number(no || 0),
                abstain: Number(abstain || 0),
              }),
            '会议已记录',
            reload,
          )
        }
      >
        记录会议和表决
      </Button>
    </View>
  );
}

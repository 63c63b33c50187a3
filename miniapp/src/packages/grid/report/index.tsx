import { useState } from 'react';
import { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button, Textarea, Picker } from '@tarojs/components';
import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { Page } from '@/components/Page';
import { RemindMe } from '@/components/RemindMe';
import { ErrorState, Loading } from '@/components/StateView';
import { Attachments } from '@/components/Attachments';
import { Uploader } from '@/components/Uploader';
import type { StoredFile } from '@/api/files';
import { gridApi, type Report } from '@/api/grid';
import { usePageData } from '@/lib/pageData';
import { formatDateTime } from '@/lib/format';
import { askReason, confirm } from '@/lib/ask';
import { runAction, toast } from '@/lib/feedback';
import { REPORT_STEP_LABEL } from '@contracts/vocab';
import { statusTone } from '../components/ReportItem';
import '../grid.css';

export default function ReportPage() {
  const { params } = useRouter();
  return <Page>{() => <ReportView id={params.id ?? ''} />}</Page>;
}

function ReportView({ id }: { id: string }) {
  const [state, reload] = usePageData(() => gridApi.get(id), [id]);
  const [filesVersion, setFilesVersion] = useState(0);
  useDidShow(() => void reload());
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') {
    return state.code === 'grid.report_not_found' ? (
      <ErrorState message="没有找到这条随手拍。它可能不是您反映的，或者链接有误。" />
    ) : (
      <ErrorState message={state.message} onRetry={() => void reload()} />
    );
  }
  const r = state.data;
  const after = new Set(r.afterPhotoIds);
  const refresh = async () => {
    setFilesVersion((n) => n + 1);
    await reload();
  };
  const due = r.status === 'reported' ? r.acceptDue : r.solveDue;
  return (
    <View className="report">
      <View className="card stack">
        <View className="row">
          <Text className="card-title">{r.categoryName}</Text>
          <Text className={`tag report-status ${statusTone(r)}`}>{r.statusLabel}</Text>
        </View>
        <Text className="text">{r.description}</Text>
        <Text className="muted">
          地点：{r.place ?? '—'}（{r.gridName}）
        </Text>
        <Text className="muted">
          反映人：{r.reporter} · {formatDateTime(r.createdAt)}
          {r.followers > 1 ? ` · 共 ${r.followers} 人反映` : ''}
        </Text>
        <Text className="muted report-level">现在由{r.levelLabel}办理</Text>
        {due && (r.status === 'reported' || r.status === 'accepted' || r.status === 'in_progress') ? (
          <Text className={`text ${r.overdue ? 'overdue' : ''}`}>
            {r.overdue ? '已超时，' : ''}
            {r.status === 'reported' ? '受理' : '办结'}时限 {formatDateTime(due)}
          </Text>
        ) : null}
        {r.rating != null ? (
          <Text className="text report-rating">
            评价：{'★'.repeat(r.rating)}
            {'☆'.repeat(5 - r.rating)} {r.ratingComment ?? ''}
          </Text>
        ) : null}
        {r.following && r.status !== 'confirmed' ? (
          <RemindMe
            label="有进展时微信提醒我"
            config={gridApi.subscriptionConfig}
            subscribe={() => gridApi.subscribe(r.communityId)}
            done="好的，有进展会在微信里提醒您"
            unavailable="暂未开通微信提醒，进展会显示在“我的随手拍”里"
          />
        ) : null}
      </View>

      <Actions r={r} reload={refresh} />

      <View className="card stack">
        <Attachments entity="grid_report" entityId={r.id} title="反映时的照片" refreshKey={filesVersion} only={(f) => !after.has(f)} />
        <Attachments entity="grid_report" entityId={r.id} title="处理后的照片" refreshKey={filesVersion} only={(f) => after.has(f)} />
      </View>

      {r.departmentCalls.length ? (
        <View className="card stack department-calls">
          <Text className="card-title">叫来的部门</Text>
          {r.departmentCalls.map((c) => (
            <View key={c.id} className="list-item">
              <View className="row">
                <Text className="text">{c.department}</Text>
                <Text className={`tag ${c.answeredAt ? 'ok' : c.overdue ? 'bad' : 'warn'}`}>
                  {c.answeredAt ? '已报到' : c.overdue ? '超时未报到' : '等报到'}
                </Text>
              </View>
              {c.answer ? <Text className="text">{c.answer}</Text> : <Text className="muted">{formatDateTime(c.dueAt)} 前报到</Text>}
            </View>
          ))}
        </View>
      ) : null}

      <View className="card report-steps">
        <Text className="card-title">办理过程</Text>
        {r.steps.map((s, k) => (
          <View key={k} className="step">
            <Text className="text">
              {REPORT_STEP_LABEL[s.action]}
              {s.department ? ` · ${s.department}` : ''}
              {s.toLevel && s.fromLevel && s.toLevel !== s.fromLevel
                ? `（转${s.toLevel === 'community' ? '社区' : s.toLevel === 'street' ? '街道' : '网格'}）`
                : ''}
            </Text>
            <Text className="muted">
              {formatDateTime(s.at)} · {s.actor}
              {s.onTime === false ? ' · 超时' : ''}
            </Text>
            {s.note ? <Text className="step-note">{s.note}</Text> : null}
          </View>
        ))}
      </View>
    </View>
  );
}

/** What this person may do now, as decided by the database (report.actions). */
function Actions({ r, reload }: { r: Report; reload: () => Promise<void> }) {
  const [cats] = usePageData(() => gridApi.categories(r.communityId), [r.communityId]);
  const needsPhoto = cats.status === 'ready' && Boolean(cats.data.items.find((c) => c.code === r.category)?.needsAfterPhoto);
  const can = (a: Report['actions'][number]) => r.actions.includes(a);
  const act = (body: Parameters<typeof gridApi.step>[1], done: string) => runAction(() => gridApi.step(r.id, body), done, reload);
  if (!r.actions.length) return null;

  async function accept() {
    if (await confirm({ title: '受理这件事', content: '受理后请在时限内处理，居民会收到通知。', confirmText: '受理' }))
      await act({ action: 'accept' }, '已受理，居民会收到通知');
  }
  async function escalate() {
    const note = await askReason({ title: '报给上一级', placeholder: '写明为什么需要上一级出面（至少 2 个字）', confirmText: '上报' });
    if (note) await act({ action: 'escalate', note }, '已上报，上一级会收到提醒');
  }
  async function reopen() {
    const note = await askReason({ title: '没解决，重新打开', placeholder: '哪里还没解决？（至少 2 个字）', confirmText: '重新打开' });
    if (note) await act({ action: 'reopen', note }, '已重新打开，网格员会再处理');
  }
  async function confirmDone() {
    if (await confirm({ title: '确认解决了', content: '确认后这件事就办完了，之后可以评价。', confirmText: '确认解决' }))
      await act({ action: 'confirm' }, '谢谢您的确认');
  }

  return (
    <View className="card stack report-actions">
      <Text className="card-title">下一步</Text>
      {can('accept') ? (
        <Button className="btn report-accept" onClick={() => void accept()}>
          受理
        </Button>
      ) : null}
      {can('start') ? (
        <Button className="btn secondary report-start" onClick={() => void act({ action: 'start' }, '已开始处置')}>
          开始处置
        </Button>
      ) : null}
      {can('resolve') ? (
        <NoteForm
          className="report-resolve"
          title="办结"
          needsPhoto={needsPhoto}
          communityId={r.communityId}
          hint={needsPhoto ? '这类问题办结时要拍一张处理后的照片（部门报到时拍过的也算）' : '写明怎么处理的，居民会看到'}
          onSubmit={(note, files) => act({ action: 'resolve', note, fileIds: files }, '已办结，等居民确认')}
        />
      ) : null}
      {can('department_report') ? (
        <NoteForm
          className="report-department"
          title="报到：写明做了什么"
          communityId={r.communityId}
          needsPhoto={false}
          hint="到场处理后填写，可以拍处理后的照片"
          onSubmit={(note, files) => act({ action: 'department_report', note, fileIds: files }, '已报到')}
        />
      ) : null}
      {can('call_department') ? <CallDepartment r={r} reload={reload} /> : null}
      {can('escalate') ? (
        <Button className="btn plain report-escalate" onClick={() => void escalate()}>
          办不了，报给{r.level === 'grid' ? '社区' : '街道'}
        </Button>
      ) : null}
      {can('confirm') ? (
        <Button className="btn report-confirm" onClick={() => void confirmDone()}>
          确认解决了
        </Button>
      ) : null}
      {can('reopen') ? (
        <Button className="btn secondary report-reopen" onClick={() => void reopen()}>
          没解决，重新打开
        </Button>
      ) : null}
      {can('reopen') ? <Text className="muted">办结 7 天内可以重新打开。</Text> : null}
      {can('rate') ? <Rate onRate={(rating, note) => act({ action: 'rate', rating, note }, rating <= 2 ? '谢谢，社区会复核这件事' : '谢谢您的评价')} /> : null}
    </View>
  );
}

function NoteForm({
  title,
  hint,
  needsPhoto,
  communityId,
  className,
  onSubmit,
}: {
  title: string;
  hint: string;
  needsPhoto: boolean;
  communityId: string;
  className: string;
  onSubmit: (note: string, fileIds: string[]) => Promise<boolean>;
}) {
  const [note, setNote] = useState('');
  const [files, setFiles] = useState<StoredFile[]>([]);
  const [round, setRound] = useState(0);
  const [busy, setBusy] = useState(false);
  async function submit() {
    if (note.trim().length < 2) return toast('请写明处理情况（至少 2 个字）');
    setBusy(true);
    const ok = await onSubmit(
      note.trim(),
      files.map((f) => f.id),
    );
    setBusy(false);
    if (ok) {
      setNote('');
      setFiles([]);
      setRound((n) => n + 1);
    }
  }
  return (
    <View className={`stack ${className}`}>
      <Text className="field-label">{title}</Text>
      <Text className="muted">{hint}</Text>
      <Textarea
        className="input textarea step-note-input"
        value={note}
        maxlength={500}
        {...named(title)}
        placeholder="处理情况"
        onInput={(e) => setNote(e.detail.value)}
      />
      <Uploader
        key={round}
        communityId={communityId}
        purpose="grid_report"
        label={needsPhoto ? '处理后的照片（必拍）' : '处理后的照片'}
        max={9}
        onChange={setFiles}
      />
      <ActionButton className="step-submit" loading={busy} disabled={busy} onClick={() => void submit()}>
        {title.startsWith('报到') ? '提交报到' : '办结'}
      </ActionButton>
    </View>
  );
}

function CallDepartment({ r, reload }: { r: Report; reload: () => Promise<void> }) {
  const [deps] = usePageData(() => gridApi.departments(r.communityId), [r.communityId]);
  const list = deps.status === 'ready' ? deps.data.items.filter((d) => !r.departmentCalls.some((c) => c.department === d.name)) : [];
  if (!list.length) return null;
  return (
    <Picker
      mode="selector"
      range={list.map((d) => d.name)}
      onChange={(e) => {
        const d = list[Number(e.detail.value)];
        if (d) void runAction(() => gridApi.step(r.id, { action: 'call_department', departmentId: d.id }), `已叫${d.name}报到`, reload);
      }}
    >
      <View className="btn plain report-call">吹哨：叫部门来处理</View>
    </Picker>
  );
}

function Rate({ onRate }: { onRate: (rating: number, note: string) => Promise<boolean> }) {
  const [rating, setRating] = useState(0);
  const [note, setNote] = useState('');
  return (
    <View className="stack report-rate">
      <Text className="field-label">给这次处理打分</Text>
      <View className="stars" role="radiogroup" aria-label="评分">
        {[1, 2, 3, 4, 5].map((n) => (
          <View key={n} className={`star star-${n}`} role="radio" aria-checked={rating === n} aria-label={`${n} 星`} onClick={() => setRating(n)}>
            {n <= rating ? '★' : '☆'}
          </View>
        ))}
      </View>
      <Textarea
        className="input textarea"
        value={note}
        maxlength={300}
        {...named('想说的话')}
        placeholder="想说的话（选填）"
        onInput={(e) => setNote(e.detail.value)}
      />
      <ActionButton className="rate-submit" disabled={!rating} onClick={() => void onRate(rating, note.trim())}>
        提交评价
      </ActionButton>
    </View>
  );
}

import { useState } from 'react';
import { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { ActionButton } from '@/components/ActionButton';
import { TextField } from '@/components/Field';
import { ReadAloud } from '@/components/ReadAloud';
import { Uploader } from '@/components/Uploader';
import { Attachments } from '@/components/Attachments';
import { filesApi, type StoredFile } from '@/api/files';
import { Page } from '@/components/Page';
import { RemindMe } from '@/components/RemindMe';
import { ErrorState, Loading } from '@/components/StateView';
import { hallApi, type Application } from '@/api/hall';
import { ApiError } from '@/api/client';
import { usePageData } from '@/lib/pageData';
import { formatDate, formatDateTime } from '@/lib/format';
import { FormFields, checkForm } from '../components/FormFields';
import { currentCommunity } from '@/lib/session';
import { runAction, toast } from '@/lib/feedback';
import { APPLICATION_STEP_LABEL } from '@contracts/vocab';

export default function CasePage() {
  const { params } = useRouter();
  return <Page>{({ me }) => <Case id={params.id ?? ''} communityId={currentCommunity(me)?.id ?? ''} />}</Page>;
}

function Case({ id, communityId }: { id: string; communityId: string }) {
  const [state, reload] = usePageData(() => hallApi.get(id), [id]);
  const [filesVersion, setFilesVersion] = useState(0);
  useDidShow(() => void reload());
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') {
    return state.code === 'hall.application_not_found' ? (
      <ErrorState message="没有找到这个办件。它可能不是您的，或者链接有误。需要帮助请打社区电话。" />
    ) : (
      <ErrorState message={state.message} onRetry={() => void reload()} />
    );
  }
  const a = state.data;
  return (
    <View className="case">
      <View className="card stack">
        <View className="row">
          <Text className="card-title">{a.itemName}</Text>
          <Text className={`tag case-status ${a.status === 'returned' || a.status === 'rejected' ? 'bad' : a.status === 'completed' ? 'ok' : 'warn'}`}>
            {a.statusLabel}
          </Text>
        </View>
        <Text className="muted">
          申请人 {a.applicant} · {a.department}
        </Text>
        <Text className={`text ${a.overdue ? 'overdue' : ''}`}>
          承诺 {formatDate(a.dueOn)} 前办结{a.overdue ? '（已超期）' : ''}
        </Text>
        {a.helper ? <Text className="muted">帮办人：{a.helper.name}</Text> : null}
        {a.mine && a.status !== 'completed' && a.status !== 'rejected' ? (
          <RemindMe
            label="办理有进展时微信提醒我"
            config={hallApi.subscriptionConfig}
            subscribe={() => hallApi.subscribe(communityId)}
            done="好的，下一步进展会在微信里提醒您"
            unavailable="暂未开通微信提醒，进度会显示在“我的办事”里"
          />
        ) : null}
      </View>
      {a.mine || a.helper?.isMe ? (
        <View className="card stack next-step">
          <Text className="card-title">下一步</Text>
          <Text className="text">{nextStep(a)}</Text>
          <ReadAloud text={`${a.itemName}，${a.statusLabel}。${nextStep(a)}`} />
        </View>
      ) : null}
      {a.status === 'returned' && (a.mine || a.helper?.isMe) ? <Resubmit a={a} reload={reload} /> : null}
      {a.canProcess ? <ClerkActions a={a} reload={reload} /> : null}
      {a.status === 'completed' && a.mine && a.rating == null ? <Rate a={a} reload={reload} /> : null}
      {a.rating != null ? (
        <View className="card">
          <Text className="text">
            您的评价：{'★'.repeat(a.rating)}
            {'☆'.repeat(5 - a.rating)} {a.ratingComment ?? ''}
          </Text>
        </View>
      ) : null}
      {a.rectification ? (
        <View className="card stack rectification">
          <Text className="card-title">差评整改</Text>
          <Text className="text">
            {a.rectification.status === 'open' ? `社区正在整改，${formatDate(a.rectification.dueOn)} 前给您答复。` : `已整改：${a.rectification.closedNote}`}
          </Text>
          {a.canProcess && a.rectification.status === 'open' ? <CloseRectification id={a.rectification.id} reload={reload} /> : null}
        </View>
      ) : null}
      <View className="card timeline">
        <Text className="card-title">办理过程</Text>
        {a.timeline.map((e, k) => (
          <View key={k} className="list-item timeline-step">
            <Text className="text">{e.toLabel}</Text>
            <Text className="muted">
              {formatDateTime(e.at)} · {e.byApplicant ? '申请人' : e.actor}
              {e.onBehalfOf ? `（代 ${e.onBehalfOf}）` : ''}
            </Text>
            {e.note ? <Text className="text step-note">{e.note}</Text> : null}
          </View>
        ))}
      </View>
      <View className="card stack">
        <Text className="card-title">填报内容</Text>
        {a.form.map((f) => (
          <Text key={f.key} className="muted">
            {f.label}：{a.formData[f.key] ?? '—'}
          </Text>
        ))}
        <Attachments entity="application" entityId={a.id} title="材料照片和文件" refreshKey={filesVersion} />
      </View>
      {(a.mine || a.helper?.isMe || a.canProcess) && a.status !== 'completed' && a.status !== 'rejected' ? (
        <AddFiles caseId={a.id} communityId={communityId} onAdded={() => setFilesVersion((n) => n + 1)} />
      ) : null}
    </View>
  );
}

/** 补充材料: photos or PDFs added to the case afterwards (by the applicant, their helper or the window). */
function AddFiles({ caseId, communityId, onAdded }: { caseId: string; communityId: string; onAdded: () => void }) {
  const [files, setFiles] = useState<StoredFile[]>([]);
  const [round, setRound] = useState(0);
  return (
    <View className="card stack add-files">
      <Text className="card-title">补充材料</Text>
      <Uploader key={round} communityId={communityId} purpose="application" label="材料照片" allowDocuments onChange={setFiles} />
      {files.length ? (
        <Button
          className="btn add-files-submit"
          onClick={() =>
            void runAction(
              () =>
                filesApi.attach(
                  'application',
                  caseId,
                  files.map((f) => f.id),
                ),
              '材料已加到办件',
              async () => {
                setRound((n) => n + 1);
                setFiles([]);
                onAdded();
              },
            )
          }
        >
          把 {files.length} 个材料加到办件
        </Button>
      ) : null}
    </View>
  );
}

function Resubmit({ a, reload }: { a: Application; reload: () => Promise<void> }) {
  const [values, setValues] = useState<Record<string, string>>(a.formData);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const lastNote = [...a.timeline].reverse().find((e) => e.to === 'returned')?.note;
  async function submit() {
    const local = checkForm(a.form, values);
    setErrors(local);
    if (Object.keys(local).length) return;
    try {
      await hallApi.resubmit(a.id, values, note.trim() || undefined);
      toast('已重新提交');
      await reload();
    } catch (e) {
      setErrors(e instanceof ApiError ? { ...e.fields, _: e.message } : { _: '提交失败' });
    }
  }
  return (
    <View className="card stack resubmit">
      <View className="banner alert">需要补正：{lastNote}</View>
      <FormFields form={a.form} values={values} errors={errors} onChange={setValues} onErrors={setErrors} />
      <TextField label="补充说明" inputClassName="resubmit-note" value={note} onChange={setNote} max={200} />
      {errors._ ? (
        <View className="field-error" role="alert">
          {errors._}
        </View>
      ) : null}
      <ActionButton className="resubmit-submit" disabled={note.trim().length > 200} onClick={() => void submit()}>
        补正后重新提交
      </ActionButton>
    </View>
  );
}

function ClerkActions({ a, reload }: { a: Application; reload: () => Promise<void> }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  // What the database would accept now (its transition rules), never a copy of them here.
  const steps = a.nextSteps;
  if (!steps.length) return null;
  async function step(to: (typeof steps)[number]) {
    setBusy(true);
    try {
      await hallApi.step(a.id, to, note.trim());
      setNote('');
      toast('已处理，居民会收到通知');
      await reload();
    } catch (e) {
      toast(e instanceof ApiError ? (Object.values(e.fields)[0] ?? e.message) : '操作失败');
    } finally {
      setBusy(false);
    }
  }
  return (
    <View className="card stack clerk-actions">
      <Text className="card-title">窗口办理</Text>
      <TextField
        label="办理意见"
        hint="退回补正、不予受理时必须写明原因，居民会看到。"
        inputClassName="step-note-input"
        value={note}
        onChange={setNote}
        max={300}
      />
      <View className="grid-links">
        {steps.map((to) => (
          <ActionButton
            key={to}
            className={`step-${to} ${to === 'returned' || to === 'rejected' ? 'secondary' : ''}`}
            disabled={busy}
            onClick={() => void step(to)}
          >
            {APPLICATION_STEP_LABEL[to]}
          </ActionButton>
        ))}
      </View>
    </View>
  );
}

function Rate({ a, reload }: { a: Application; reload: () => Promise<void> }) {
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  async function submit() {
    try {
      await hallApi.rate(a.id, stars, comment.trim());
      toast(stars <= 2 ? '谢谢，社区会整改并答复您' : '谢谢您的评价');
      await reload();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : '评价失败');
    }
  }
  return (
    <View className="card stack rate">
      <Text className="card-title">办得怎么样？</Text>
      <View className="stars" role="radiogroup" aria-label="评分，1 到 5 星">
        {[1, 2, 3, 4, 5].map((n) => (
          <View
            key={n}
            className={`star star-${n} ${n <= stars ? 'on' : ''}`}
            role="radio"
            aria-checked={n === stars}
            aria-label={`${n} 星`}
            onClick={() => setStars(n)}
          >
            <Text>★</Text>
          </View>
        ))}
      </View>
      <Text className="muted">{stars ? `${stars} 星${stars <= 2 ? '：社区会整改并答复您' : ''}` : '点星星打分'}</Text>
      <TextField label="说说原因" inputClassName="rate-comment" value={comment} onChange={setComment} max={300} />
      <ActionButton
        className="rate-submit"
        disabled={!stars || comment.trim().length > 300}
        why={!stars ? '先点星星打分' : undefined}
        onClick={() => void submit()}
      >
        提交评价
      </ActionButton>
    </View>
  );
}

function CloseRectification({ id, reload }: { id: string; reload: () => Promise<void> }) {
  const [note, setNote] = useState('');
  return (
    <View className="stack">
      <TextField label="整改情况" hint="居民会看到，至少写 2 个字。" value={note} onChange={setNote} max={300} />
      <ActionButton
        disabled={note.trim().length < 2}
        why="先写整改情况"
        onClick={() =>
          void hallApi
            .closeRectification(id, note.trim())
            .then(() => reload())
            .catch((e) => toast(e instanceof ApiError ? e.message : '保存失败'))
        }
      >
        整改完成
      </ActionButton>
    </View>
  );
}

/** What happens next, in the resident's words (shown, and read aloud in 长辈版). */
function nextStep(a: Application): string {
  const last = [...a.timeline].reverse().find((e) => e.to === a.status)?.note;
  switch (a.status) {
    case 'submitted':
      return `已经提交，等社区窗口受理。承诺 ${formatDate(a.dueOn)} 前办结。`;
    case 'accepted':
    case 'processing':
      return `社区正在办理，承诺 ${formatDate(a.dueOn)} 前办结。${last ? `窗口说：${last}` : ''}`;
    case 'returned':
      return `需要补正：${last ?? '请按窗口的要求补充材料'}。改好后点“补正后重新提交”。`;
    case 'completed':
      return `已经办好了。${last ?? ''}`;
    case 'rejected':
      return `没有受理。原因：${last ?? '请打社区电话问问'}。`;
    default:
      return a.statusLabel;
  }
}

import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Button, Image, Input } from '@tarojs/components';
import { ActionButton } from '@/components/ActionButton';
import { TextField } from '@/components/Field';
import { ReadAloud } from '@/components/ReadAloud';
import { alt, named } from '@/lib/a11y';
import { Attachments } from '@/components/Attachments';
import { ChainEntryLink } from '@/components/ChainEntryLink';
import { askReason } from '@/lib/ask';
import { Page } from '@/components/Page';
import { RemindMe } from '@/components/RemindMe';
import { ErrorState, Loading } from '@/components/StateView';
import { noticesApi, type Notice } from '@/api/notices';
import { usePageData } from '@/lib/pageData';
import { categoryLabel, formatDate, formatDateTime, formatFen } from '@/lib/format';
import { toast, errorMessage } from '@/lib/feedback';

export default function NoticeDetailPage() {
  const { params } = useRouter();
  return <Page>{() => <Detail id={params.id ?? ''} />}</Page>;
}

function Detail({ id }: { id: string }) {
  const [version, setVersion] = useState<number | undefined>(undefined);
  const [state, reload] = usePageData(() => noticesApi.get(id, version), [id, version]);

  // Opening a published notice counts as reading it (once per person; the server makes sure).
  useEffect(() => {
    if (state.status === 'ready' && state.data.version.status === 'published' && !state.data.readByMe) {
      noticesApi.read(id).catch(() => undefined);
    }
  }, [state, id]);

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') {
    return state.code === 'notices.not_found' ? (
      <ErrorState message="没有找到这条公告。它可能不是发给您所在社区或网格的，或者还没有发布。" />
    ) : (
      <ErrorState message={state.message} onRetry={() => void reload()} />
    );
  }
  const n = state.data;
  const v = n.version;
  const latest = version === undefined || version === n.latestPublishedVersion;
  return (
    <View className="notice-detail">
      <View className="card stack">
        <View>
          <Text className={`tag ${n.category === 'emergency' ? 'bad' : ''}`}>{categoryLabel[n.category]}</Text>
          {n.corrected && latest ? <Text className="tag warn corrected-mark">已更正</Text> : null}
          {n.pinned ? <Text className="tag warn">置顶</Text> : null}
          {v.status !== 'published' ? (
            <Text className="tag bad">{{ draft: '草稿', submitted: '待审核', returned: '已退回', published: '' }[v.status]}</Text>
          ) : null}
        </View>
        <Text className="hero notice-heading">{v.title}</Text>
        <Text className="muted notice-dates">{noticeDates(n)}</Text>
        {v.status === 'published' ? <ChainEntryLink communityId={n.communityId} kind="notice" recordId={`${n.id}:${v.version}`} /> : null}
        <ReadAloud text={`${v.title}。${v.body}`} />
        {v.correctionNote ? <View className="banner info">更正说明：{v.correctionNote}</View> : null}
        {v.reviewComment && v.status === 'returned' ? <View className="banner alert">监督委员会退回意见：{v.reviewComment}</View> : null}
        {!latest ? (
          <View className="banner info" role="button" onClick={() => setVersion(undefined)}>
            您在看历史版本。点这里看最新版本 ›
          </View>
        ) : null}
        {v.body
          .split(/\n\s*\n/)
          .filter(Boolean)
          .map((p, i) => (
            <Text key={i} className="text paragraph">
              {p}
            </Text>
          ))}
        <Attachments entity={n.category === 'finance' ? 'finance' : 'notice'} entityId={n.id} title={n.category === 'finance' ? '凭证' : '照片和附件'} />
        {v.images.map((img, i) => (
          <Image key={i} src={img.url} mode="widthFix" style={{ width: '100%' }} {...alt(img.alt ?? `${v.title} 配图 ${i + 1}`)} />
        ))}
        {v.attachments.length ? (
          <View className="stack">
            <Text className="card-title">附件</Text>
            {v.attachments.map((a) => (
              <Button key={a.url} className="btn plain" onClick={() => openLink(a.url)}>
                {a.name}
              </Button>
            ))}
          </View>
        ) : null}
      </View>

      {n.finance ? <FinanceTable n={n} /> : null}
      {n.questions ? <Questions n={n} reload={reload} /> : null}
      {n.versions.filter((x) => x.status === 'published').length > 1 ? (
        <View className="card stack versions">
          <Text className="card-title">历史版本</Text>
          {n.versions
            .filter((x) => x.status === 'published')
            .map((x) => (
              <View key={x.version} className="list-item version-row" role="button" onClick={() => setVersion(x.version)}>
                <Text className="text">
                  第 {x.version} 版 · {formatDateTime(x.publishedAt)}
                  {x.version === v.version ? '（正在看）' : ''}
                </Text>
                {x.correctionNote ? <Text className="muted">{x.correctionNote}</Text> : null}
              </View>
            ))}
        </View>
      ) : null}
      {v.contentSha256 ? <Fingerprint sha256={v.contentSha256} /> : null}
      <StaffActions n={n} reload={reload} />
      <RemindMe
        className="btn secondary"
        label="有新公告时提醒我"
        config={noticesApi.subscriptionConfig}
        subscribe={() => noticesApi.subscribe(n.communityId)}
        done="好的，有新公告会提醒您一次"
        unavailable="暂未开通公告提醒"
      />
    </View>
  );
}

/**
 * The dates a resident sees, agreeing with the home list: the list shows when the notice was first published;
 * a corrected notice also says when it was corrected and which version this is.
 */
function noticeDates(n: Notice): string {
  const v = n.version;
  if (!v.publishedAt) return `最后编辑 ${formatDateTime(v.writtenAt)}`;
  const first = n.firstPublishedAt ?? v.publishedAt;
  if (v.version <= 1 || first === v.publishedAt) return `发布于 ${formatDateTime(first)}`;
  return `发布于 ${formatDateTime(first)} · 第 ${v.version} 版更正于 ${formatDateTime(v.publishedAt)}`;
}

/** The content fingerprint, explained in plain words and shown only when someone asks to check. */
function Fingerprint({ sha256 }: { sha256: string }) {
  const [open, setOpen] = useState(false);
  return (
    <View className="card stack fingerprint">
      <Button className="btn plain verify-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? '收起核验信息' : '核验这条公开'}
      </Button>
      {open ? (
        <>
          <Text className="muted">内容指纹：可用来核对这条公开没有被改过。公开内容哪怕改动一个字，这串字符就会完全不同；旧版本也一直留着可查。</Text>
          <Text className="muted hash">{sha256}</Text>
        </>
      ) : null}
    </View>
  );
}

function openLink(url: string) {
  if (process.env.TARO_ENV === 'h5') window.open(url, '_blank');
  else void Taro.setClipboardData({ data: url }).then(() => toast('链接已复制，请在浏览器中打开'));
}

function FinanceTable({ n }: { n: Notice }) {
  const f = n.finance!;
  return (
    <View className="card stack finance">
      <Text className="card-title">{n.financePeriod} 收支明细（元）</Text>
      <View className="row finance-totals">
        <View>
          <Text className="muted">收入</Text>
          <Text className="text finance-income">{formatFen(f.incomeFen)}</Text>
        </View>
        <View>
          <Text className="muted">支出</Text>
          <Text className="text finance-expense">{formatFen(f.expenseFen)}</Text>
        </View>
        <View>
          <Text className="muted">结余</Text>
          <Text className="text finance-balance">{formatFen(f.balanceFen)}</Text>
        </View>
      </View>
      {f.lines.map((l) => (
        <View key={l.lineNo} className="list-item finance-line">
          <View className="row">
            <Text className="text">{l.item}</Text>
            <Text className="text" style={{ color: l.direction === 'income' ? '#1d5e22' : '#8a1c14', fontWeight: 600 }}>
              {l.direction === 'income' ? '+' : '−'}
              {formatFen(l.amountFen)}
            </Text>
          </View>
          <Text className="muted">
            {l.occurredOn}
            {l.counterparty ? ` · ${l.counterparty}` : ''}
          </Text>
          {l.voucher ? (
            <View className="voucher-link" role="link" onClick={() => openLink(l.voucher!.url)}>
              <Text className="muted">凭证：{l.voucher.name} ›</Text>
            </View>
          ) : null}
        </View>
      ))}
    </View>
  );
}

function Questions({ n, reload }: { n: Notice; reload: () => Promise<void> }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const qs = n.questions ?? [];

  async function ask() {
    if (text.trim().length < 2) return toast('问题至少 2 个字');
    setBusy(true);
    try {
      await noticesApi.ask(n.id, text.trim());
      setText('');
      toast('已提交，其他居民也能看到');
      await reload();
    } catch (e) {
      toast(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  async function answer(qid: string) {
    try {
      await noticesApi.answer(qid, (answers[qid] ?? '').trim());
      await reload();
    } catch (e) {
      toast(errorMessage(e));
    }
  }
  async function hide(qid: string) {
    const reason = await askReason({ title: '隐藏这条提问', placeholder: '居民会看到，例如：含有人身攻击' });
    if (reason === null) return;
    try {
      await noticesApi.hide(qid, reason);
      await reload();
    } catch (e) {
      toast(errorMessage(e));
    }
  }

  return (
    <View className="card stack questions">
      <Text className="card-title">居民提问（{qs.filter((q) => !q.hidden).length}）</Text>
      {qs.length === 0 ? <Text className="muted">还没有人提问。对公开内容有疑问，可以在这里问。</Text> : null}
      {qs.map((q) => (
        <View key={q.id} className="list-item question">
          <Text className="text">{q.body}</Text>
          <Text className="muted">
            {q.asker ?? '居民'} · {formatDate(q.createdAt)}
            {q.mine ? '（我）' : ''}
            {q.checkStatus === 'pending' ? ' · 审核中' : ''}
          </Text>
          {q.hidden ? <Text className="muted">已隐藏：{q.hiddenReason}</Text> : null}
          {q.answer ? <View className="banner info answer">社区回复：{q.answer}</View> : null}
          {n.canManage && !q.answer && !q.hidden && q.checkStatus === 'passed' ? (
            <View className="stack">
              <Input
                className="input answer-input"
                placeholder="回复这位居民"
                value={answers[q.id] ?? ''}
                {...named('回复这位居民')}
                onInput={(e) => setAnswers({ ...answers, [q.id]: e.detail.value })}
              />
              <View className="btn-row">
                <Button className="btn plain" onClick={() => void hide(q.id)}>
                  隐藏
                </Button>
                <Button className="btn answer-submit" onClick={() => void answer(q.id)}>
                  回复
                </Button>
              </View>
            </View>
          ) : null}
        </View>
      ))}
      {!n.canManage && n.version.status === 'published' ? (
        <View className="stack">
          <TextField
            label="有疑问？在这里问"
            hint="社区会公开回复，其他居民也能看到。"
            multiline
            inputClassName="question-input"
            value={text}
            max={500}
            onChange={setText}
          />
          <ActionButton className="question-submit" loading={busy} disabled={busy || text.trim().length > 500} onClick={() => void ask()}>
            提交问题
          </ActionButton>
        </View>
      ) : null}
    </View>
  );
}

function StaffActions({ n, reload }: { n: Notice; reload: () => Promise<void> }) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  async function run(fn: () => Promise<unknown>, done: string) {
    setBusy(true);
    try {
      await fn();
      toast(done);
      await reload();
    } catch (e) {
      toast(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  if (!n.canManage && !n.canReview) return null;
  const editable = n.version.status === 'draft' || n.version.status === 'returned';
  return (
    <View className="card stack staff-actions">
      <Text className="card-title">{n.canReview ? '监督委员会审核' : '管理'}</Text>
      {n.canReview ? (
        <>
          <TextField label="审核意见" hint="退回时写明需要修改的地方" inputClassName="review-comment" value={comment} max={300} onChange={setComment} />
          <View className="btn-row">
            <ActionButton
              className="btn secondary review-return"
              disabled={busy}
              onClick={() => void run(() => noticesApi.review(n.id, false, comment.trim()), '已退回')}
            >
              退回修改
            </ActionButton>
            <ActionButton className="btn review-approve" disabled={busy} onClick={() => void run(() => noticesApi.review(n.id, true), '已通过并发布')}>
              审核通过
            </ActionButton>
          </View>
        </>
      ) : null}
      {n.canManage && editable ? (
        <Button className="btn edit-draft" onClick={() => Taro.navigateTo({ url: `/packages/notices/compose/index?id=${n.id}` })}>
          继续编辑
        </Button>
      ) : null}
      {n.canManage && n.firstPublishedAt ? (
        <>
          <Button className="btn plain" onClick={() => Taro.navigateTo({ url: `/packages/notices/stats/index?id=${n.id}` })}>
            阅读情况
          </Button>
          <Button className="btn plain" onClick={() => Taro.navigateTo({ url: `/packages/notices/compose/index?id=${n.id}&mode=correct` })}>
            发布更正
          </Button>
          <ActionButton
            className="btn plain"
            disabled={busy}
            onClick={() => void run(() => noticesApi.pin(n.id, !n.pinned), n.pinned ? '已取消置顶' : '已置顶')}
          >
            {n.pinned ? '取消置顶' : '置顶'}
          </ActionButton>
          {process.env.TARO_ENV === 'h5' ? (
            <Button className="btn plain" onClick={() => Taro.navigateTo({ url: `/packages/notices/poster/index?id=${n.id}` })}>
              打印公告栏海报
            </Button>
          ) : null}
        </>
      ) : null}
    </View>
  );
}

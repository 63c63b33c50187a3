import { useState, type ReactNode } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text, Button, Input } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { trustApi, type PublicChainPage } from '@/api/trust';
import { usePagedList } from '@/lib/pageData';
import { saveBlob } from '@/lib/download';
import { ChainChecker, EXPORT_FORMAT, shortHash, type ChainBreak, type ChainEntry, type ChainExport } from '@/lib/chain';
import { categoryLabel, communityKindLabel, entryKindLabel, formatDateTime, formatFen } from '@/lib/format';
import { errorMessage, toast } from '@/lib/feedback';

/**
 * 公开记录链: a community's public records in the order they were published, readable and checkable by anyone,
 * without an account (the QR code on the paper board and on posters leads here). 核验 recomputes every hash
 * on the visitor's own phone or computer with lib/chain.ts, the same code `npm run verify` runs.
 */
export default function PublicChain() {
  const { params } = useRouter();
  const communityId = params.community ?? '';
  return (
    <Page requireSession={false}>
      {/^[0-9a-f-]{36}$/.test(communityId) ? <Chain communityId={communityId} /> : <Empty text="链接不完整：请扫描公告栏或海报上的二维码打开。" />}
    </Page>
  );
}

const KIND_LABEL: Record<string, string> = {
  notice: '公告',
  affairs: '决议与结果公开',
  points_month: '积分公示',
  poll_result: '投票结果',
  objection: '积分异议成立',
};

// biome-ignore lint/suspicious/noExplicitAny: a record's content, whose shape depends on its kind
type Content = Record<string, any>;

/** The time the recipe writes (microseconds, UTC) for people; every JavaScript engine parses milliseconds. */
const when = (at: string) => formatDateTime(at.replace(/(\.\d{3})\d+Z$/, '$1Z'));

function titleOf(e: ChainEntry): string {
  const c = (e.content ?? {}) as Content;
  switch (e.kind) {
    case 'notice':
      return `${categoryLabel[c.category] ?? '公告'}：${c.title ?? ''}${c.version > 1 ? `（第 ${c.version} 版，更正）` : ''}`;
    case 'affairs':
      return c.title ?? '决议公示';
    case 'points_month':
      return `${c.month} 积分公示（${(c.entries ?? []).length} 条）`;
    case 'poll_result':
      return `投票结果：${c.title ?? ''}`;
    case 'objection':
      return `${c.month} 积分公示的异议成立，已冲销`;
    default:
      return e.recordId;
  }
}

type Check =
  | { status: 'idle' }
  | { status: 'running'; checked: number; total: number }
  | { status: 'done'; checked: number; broken: ChainBreak | null; anchorNote: string | null }
  | { status: 'error'; message: string };

function Chain({ communityId }: { communityId: string }) {
  const list = usePagedList<PublicChainPage>((cursor) => trustApi.chain(communityId, cursor), [communityId]);
  const [check, setCheck] = useState<Check>({ status: 'idle' });
  const [open, setOpen] = useState<number | null>(null);
  const [anchorSeq, setAnchorSeq] = useState('');
  const [anchorHash, setAnchorHash] = useState('');

  if (list.state.status === 'loading' || (list.state.status === 'ready' && !list.first)) return <Loading />;
  if (list.state.status === 'error') {
    return list.state.code === 'core.community_not_found' ? (
      <ErrorState message="没有找到这个社区或村。请重新扫描公告栏上的二维码。" />
    ) : (
      <ErrorState message={list.state.message} onRetry={() => void list.reload()} />
    );
  }
  const { community, head } = list.first!;
  const entries = list.state.data;

  /** Every entry from the first, page by page; each page is checked as it arrives. */
  async function fetchAll(onPage: (page: ChainEntry[], total: number) => boolean): Promise<ChainExport> {
    let from: number | null = 1;
    let first: ChainExport | null = null;
    const all: ChainEntry[] = [];
    while (from !== null) {
      const page = await trustApi.exportPage(communityId, from);
      first ??= page as unknown as ChainExport;
      all.push(...(page.entries as ChainEntry[]));
      if (!onPage(page.entries as ChainEntry[], page.head?.seq ?? 0)) break;
      from = page.nextFromSeq;
    }
    return { ...first!, entries: all };
  }

  async function verify() {
    const seq = Number(anchorSeq.trim());
    const prefix = anchorHash.replace(/\s+/g, '').toLowerCase();
    const anchored = anchorSeq.trim() !== '' || prefix !== '';
    if (anchored && !(Number.isInteger(seq) && seq >= 1 && /^[0-9a-f]{4,64}$/.test(prefix))) {
      toast('纸质公示的条号填数字，校验码填纸上印的字母和数字');
      return;
    }
    const checker = new ChainChecker(communityId);
    let anchorHit: boolean | null = anchored ? null : true;
    setCheck({ status: 'running', checked: 0, total: head?.seq ?? 0 });
    try {
      const exp = await fetchAll((page, total) => {
        for (const e of page) {
          if (checker.push(e)) return false;
          if (anchored && e.seq === seq) anchorHit = e.hash.startsWith(prefix);
        }
        setCheck({ status: 'running', checked: checker.checked, total });
        return true;
      });
      const broken = checker.finish(exp.head);
      const anchorNote =
        !anchored || broken
          ? null
          : anchorHit === null
            ? `记录链里没有第 ${seq} 条：纸上那一条之后的记录被删除过。`
            : anchorHit
              ? `第 ${seq} 条和纸质公示上的校验码一致。`
              : `第 ${seq} 条的校验码和纸质公示上的不一致：这一条或它之前的记录被整体替换过。`;
      setCheck({ status: 'done', checked: checker.checked, broken, anchorNote });
    } catch (e) {
      setCheck({ status: 'error', message: errorMessage(e, '网络不好，核验没有完成，请再试一次') });
    }
  }

  /** H5: the whole chain as one file (the format `npm run verify` reads). */
  async function download() {
    try {
      const exp = await fetchAll(() => true);
      const file = { format: EXPORT_FORMAT, community: exp.community, head: exp.head, exportedAt: exp.exportedAt, entries: exp.entries };
      if (process.env.TARO_ENV === 'h5') {
        saveBlob(new Blob([JSON.stringify(file, null, 1)], { type: 'application/json' }), `公开记录链-${community.name}-第${exp.head?.seq ?? 0}条.json`);
      }
    } catch (e) {
      toast(errorMessage(e, '下载没有成功，请再试一次'));
    }
  }

  return (
    <View className="public-chain">
      <View className="card stack">
        <Text className="card-title">
          {community.streetName} · {community.name} 公开记录链
        </Text>
        <Text className="text">
          本{communityKindLabel(community.kind)}每一条公开过的公告、财务公开、决议、积分公示和投票结果，都按公开的先后登记在这里。
          每条记录都有自己的“校验码”，并且连着上一条的校验码，像一条链子：哪怕改动、删掉或调换其中一个字，核验都会发现。
        </Text>
        {head ? (
          <Text className="muted chain-head">
            最新一条：第 {head.seq} 条 · 校验码 {shortHash(head.hash)} · {when(head.at)}
          </Text>
        ) : (
          <Text className="muted">还没有登记任何公开记录。</Text>
        )}
      </View>

      <View className="card stack chain-verify">
        <Text className="card-title">核验</Text>
        <Text className="text">点“开始核验”，您的手机或电脑会把全部记录重新算一遍，不需要登录，也不用相信我们的服务器。</Text>
        <Text className="muted">手上有纸质积分公示或公告海报？把上面印的“第几条”和校验码填在下面，可以一并核对（可不填）。</Text>
        <View className="row">
          <Input className="input anchor-seq" type="number" placeholder="第几条" value={anchorSeq} onInput={(e) => setAnchorSeq(e.detail.value)} />
          <Input className="input anchor-hash" placeholder="校验码，如 3f9a c07e 21b4 9d02" value={anchorHash} onInput={(e) => setAnchorHash(e.detail.value)} />
        </View>
        <Button className="btn chain-verify-button" disabled={check.status === 'running'} onClick={() => void verify()}>
          {check.status === 'running' ? `正在核验… ${check.checked} / ${check.total}` : '开始核验'}
        </Button>
        {check.status === 'done' && !check.broken ? (
          <View className="banner info chain-result chain-ok" role="status">
            完好：全部 {check.checked} 条记录都核对无误，没有被改动、删除或调换。{check.anchorNote ?? ''}
          </View>
        ) : null}
        {check.status === 'done' && check.broken ? (
          <View className="banner alert chain-result chain-broken" role="alert">
            发现问题：{check.broken.message}。请把这个结果截图，交给{community.kind === 'village' ? '村务' : '居务'}监督委员会或街道
            {community.servicePhone ? `（电话 ${community.servicePhone}）` : ''}。
          </View>
        ) : null}
        {check.status === 'error' ? (
          <View className="banner alert" role="alert">
            {check.message}
          </View>
        ) : null}
        {process.env.TARO_ENV === 'h5' ? (
          <Button className="btn secondary chain-download" onClick={() => void download()}>
            下载全部记录（JSON 文件，可离线核验）
          </Button>
        ) : null}
      </View>

      {entries.length === 0 ? <Empty text="还没有登记任何公开记录。" /> : null}
      {entries.map((e) => (
        <View key={e.seq} className={`card chain-entry seq-${e.seq}`}>
          <View className="row" role="button" onClick={() => setOpen(open === e.seq ? null : e.seq)}>
            <View>
              <Text className="tag">
                第 {e.seq} 条 · {KIND_LABEL[e.kind] ?? e.kind}
              </Text>
              <Text className="text">{titleOf(e)}</Text>
              <Text className="muted">
                {when(e.at)} 登记 · 校验码 {shortHash(e.hash)}
              </Text>
            </View>
            <Text className="muted">{open === e.seq ? '收起' : '内容 ›'}</Text>
          </View>
          {open === e.seq ? <EntryContent entry={e} /> : null}
        </View>
      ))}
      <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
    </View>
  );
}

function EntryContent({ entry }: { entry: ChainEntry }) {
  const c = (entry.content ?? {}) as Content;
  let body: ReactNode = null;
  if (entry.kind === 'notice') {
    const lines: Content[] = c.financeLines ?? [];
    const total = (dir: string) => lines.filter((l) => l.direction === dir).reduce((s, l) => s + l.amountFen, 0);
    body = (
      <View className="stack">
        {c.correctionNote ? <Text className="text">更正说明：{c.correctionNote}</Text> : null}
        {String(c.body ?? '')
          .split(/\n\s*\n/)
          .filter(Boolean)
          .map((p: string, i: number) => (
            <Text key={i} className="text paragraph">
              {p}
            </Text>
          ))}
        {c.financePeriod ? <Text className="text">公开期间：{c.financePeriod}</Text> : null}
        {lines.map((l) => (
          <Text key={l.lineNo} className="text">
            {l.occurredOn} {l.item} {l.direction === 'income' ? '收入' : '支出'} {formatFen(l.amountFen)} 元{l.counterparty ? `（${l.counterparty}）` : ''}
          </Text>
        ))}
        {lines.length ? (
          <Text className="text">
            合计：收入 {formatFen(total('income'))} 元，支出 {formatFen(total('expense'))} 元
          </Text>
        ) : null}
        {(c.files ?? []).map((f: Content, i: number) => (
          <Text key={i} className="muted">
            附件：{f.name}（SHA-256 {shortHash(f.sha256 ?? '')}…）
          </Text>
        ))}
        <Text className="muted">发布于 {when(c.publishedAt ?? '')}</Text>
      </View>
    );
  } else if (entry.kind === 'affairs') {
    body = (
      <View className="stack">
        {String(c.body ?? '')
          .split(/\n\s*\n/)
          .filter(Boolean)
          .map((p: string, i: number) => (
            <Text key={i} className="text paragraph">
              {p}
            </Text>
          ))}
        {(c.meetings ?? []).map((m: Content, i: number) => (
          <Text key={i} className="text">
            第 {m.stepNo} 步会议：{m.motion}。应到 {m.rosterSize} 人，实到 {m.present} 人；赞成 {m.yes}，反对 {m.no}，弃权 {m.abstain}，
            {m.passed ? '通过' : '未通过'}
          </Text>
        ))}
        <Text className="muted">公示于 {when(c.publishedAt ?? '')}</Text>
      </View>
    );
  } else if (entry.kind === 'points_month') {
    const rows: [number, number, string, string, string][] = c.entries ?? [];
    body = (
      <View className="stack">
        <Text className="text">
          共 {rows.length} 条积分变动，合计 {rows.reduce((s, r) => s + r[1], 0)} 分；异议期 {c.objectionDays} 天，到 {when(c.windowClosesAt ?? '')}。
        </Text>
        {rows.slice(0, 100).map((r) => (
          <Text key={r[0]} className="muted">
            #{r[0]} {r[1] > 0 ? `+${r[1]}` : r[1]} {entryKindLabel[r[2]] ?? r[2]} · {r[3]}
          </Text>
        ))}
        {rows.length > 100 ? <Text className="muted">其余 {rows.length - 100} 条请下载全部记录查看。</Text> : null}
      </View>
    );
  } else if (entry.kind === 'poll_result') {
    body = (
      <View className="stack">
        {c.description ? <Text className="text">{c.description}</Text> : null}
        <Text className="text">
          {c.electorate === 'households' ? '每户一票' : '每人一票'}，共 {c.turnout} 票；{when(c.closesAt ?? '')} 截止。
        </Text>
        {(c.results ?? []).map((r: Content) => (
          <Text key={r.id} className="text">
            {r.label}：{r.votes} 票
          </Text>
        ))}
      </View>
    );
  } else if (entry.kind === 'objection') {
    body = (
      <View className="stack">
        <Text className="text">
          被提出异议的记录：#{c.entry?.[0]} {c.entry?.[1]} 分 · {c.entry?.[3]}
        </Text>
        <Text className="text">处理意见：{c.resolution}</Text>
        {c.reversal ? (
          <Text className="text">
            已冲销：#{c.reversal[0]} {c.reversal[1]} 分
          </Text>
        ) : null}
      </View>
    );
  }
  return (
    <View className="stack chain-content">
      {body}
      <Text className="muted hash">内容校验码 {entry.contentHash}</Text>
      <Text className="muted hash">本条校验码 {entry.hash}</Text>
      <Text className="muted hash">上一条校验码 {entry.prevHash}</Text>
    </View>
  );
}

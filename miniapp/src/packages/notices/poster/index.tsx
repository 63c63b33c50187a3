import { currentCommunity } from '@/lib/session';
import { useEffect, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import QRCode from 'qrcode';
import { Page } from '@/components/Page';
import { ErrorState, Loading } from '@/components/StateView';
import { noticesApi } from '@/api/notices';
import { usePageData } from '@/lib/pageData';
import { categoryLabel, formatDateTime, formatFen } from '@/lib/format';
import { trustApi } from '@/api/trust';
import { shortHash } from '@/lib/chain';

/**
 * A print-friendly page for the paper board at the community centre (H5 only): the notice, and a QR
 * code that opens it on a phone.
 */
export default function PosterPage() {
  const { params } = useRouter();
  return <Page>{({ me }) => <Poster id={params.id ?? ''} community={currentCommunity(me)?.name ?? ''} />}</Page>;
}

function Poster({ id, community }: { id: string; community: string }) {
  const [state, reload] = usePageData(() => noticesApi.get(id), [id]);
  const [svg, setSvg] = useState('');
  const url = process.env.TARO_ENV === 'h5' ? `${window.location.origin}/#/packages/notices/detail/index?id=${id}` : '';
  useEffect(() => {
    if (url) void QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then(setSvg);
  }, [url]);

  if (process.env.TARO_ENV !== 'h5') return <ErrorState message="请在电脑浏览器中打开村居通网页版打印海报。" />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  const n = state.data;
  return (
    <View className="poster">
      <View className="poster-sheet stack" style={{ background: '#fff', padding: '48px', border: '4px solid #b83227' }}>
        <Text className="muted">
          {community} · {categoryLabel[n.category]}
          {n.corrected ? ' · 已更正' : ''}
        </Text>
        <Text className="hero">{n.version.title}</Text>
        {n.version.body
          .split(/\n\s*\n/)
          .filter(Boolean)
          .map((p, i) => (
            <Text key={i} className="text">
              {p}
            </Text>
          ))}
        {n.finance ? (
          <View className="stack">
            {n.finance.lines.map((l) => (
              <Text key={l.lineNo} className="text">
                {l.occurredOn} {l.item} {l.direction === 'income' ? '收入' : '支出'} {formatFen(l.amountFen)} 元
              </Text>
            ))}
            <Text className="text" style={{ fontWeight: 700 }}>
              合计：收入 {formatFen(n.finance.incomeFen)} 元，支出 {formatFen(n.finance.expenseFen)} 元，结余 {formatFen(n.finance.balanceFen)} 元
            </Text>
          </View>
        ) : null}
        <View className="row">
          <Text className="muted">发布于 {formatDateTime(n.version.publishedAt)}</Text>
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: an SVG the qrcode library drew from our own link, not text anyone typed */}
          <View className="poster-qr" style={{ width: '240px', height: '240px' }} dangerouslySetInnerHTML={{ __html: svg }} />
        </View>
        <Text className="muted">手机微信扫码，查看全文、历史版本和提问</Text>
        <ChainLine communityId={n.communityId} recordId={`${n.id}:${n.version.version}`} />
      </View>
      <Button className="btn no-print" style={{ marginTop: '24px' }} onClick={() => window.print()}>
        打印
      </Button>
    </View>
  );
}

/** The anchor on paper: where this notice and the chain's newest entry sit on the public record chain. */
function ChainLine({ communityId, recordId }: { communityId: string; recordId: string }) {
  const [state] = usePageData(() => trustApi.record(communityId, 'notice', recordId), [communityId, recordId]);
  if (state.status !== 'ready' || process.env.TARO_ENV !== 'h5') return null;
  const { entry, head } = state.data;
  return (
    <Text className="muted poster-chain">
      公开记录链：本公告是第 {entry.seq} 条，校验码 {shortHash(entry.hash)}
      {head ? `；打印时最新为第 ${head.seq} 条，校验码 ${shortHash(head.hash)}` : ''}。 任何人都可以核验：{window.location.origin}
      /#/packages/public/chain/index?community={communityId}
    </Text>
  );
}

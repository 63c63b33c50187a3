import Taro from '@tarojs/taro';
import type { ChainKind } from '@contracts/trust';
import { trustApi } from '../api/trust';
import { shortHash } from '../lib/chain';
import { usePageData } from '../lib/pageData';
import { LinkText } from './LinkText';

/**
 * Where a published record sits on its community's public record chain (公开记录链), with a way to check it
 * there. Shows nothing for a record that is not on the chain (a draft, a notice for some grids only).
 */
export function ChainEntryLink({ communityId, kind, recordId }: { communityId: string; kind: ChainKind; recordId: string }) {
  const [state] = usePageData(() => trustApi.record(communityId, kind, recordId), [communityId, kind, recordId]);
  if (state.status !== 'ready') return null;
  const { entry } = state.data;
  return (
    <LinkText className="chain-entry-link" onClick={() => Taro.navigateTo({ url: `/packages/public/chain/index?community=${communityId}` })}>
      公开记录链第 {entry.seq} 条 · 校验码 {shortHash(entry.hash)} · 核验 ›
    </LinkText>
  );
}

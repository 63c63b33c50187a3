import type { ReactNode } from 'react';
import type { Me } from '@/api/core';
import { Empty } from '@/components/StateView';
import { useGridCommunity } from './useGridCommunity';

/** Renders a grid page for the community whose grid work this person does, or says who the page is for. */
export function GridCommunity({ me, fromUrl, empty, children }: { me: Me; fromUrl?: string; empty: string; children: (communityId: string) => ReactNode }) {
  const { communityId } = useGridCommunity(me, fromUrl);
  return communityId ? <>{children(communityId)}</> : <Empty text={empty} />;
}

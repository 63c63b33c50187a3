import { useState } from 'react';
import type { Me } from '@/api/core';
import { currentCommunity } from '@/lib/session';

const STAFF = ['grid_worker', 'committee', 'clerk', 'supervisor'];

/**
 * The communities whose grid work this person may see: where they are a grid worker or staff. Street
 * admins pass a community in the URL (from the street's list). The first is chosen until they switch.
 */
export function useGridCommunity(me: Me, fromUrl?: string) {
  const mine = me.communities.filter((c) => c.roles.some((r) => STAFF.includes(r))).map((c) => ({ id: c.id, name: c.name }));
  const [chosen, setChosen] = useState<string | null>(fromUrl ?? null);
  const preferred = currentCommunity(me);
  const current = chosen ?? (preferred && mine.some((c) => c.id === preferred.id) ? preferred.id : mine[0]?.id) ?? null;
  return { communities: mine, communityId: current, choose: setChosen };
}

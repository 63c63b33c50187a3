import { useState } from 'react';
import { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button, Input, Picker } from '@tarojs/components';
import { named } from '@/lib/a11y';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { adminApi, type EndResidenceResult, type Member } from '@/api/admin';
import type { GridHousehold } from '@/api/grid';
import { HouseholdSearch } from '@/components/HouseholdSearch';
import { usePagedList } from '@/lib/pageData';
import { askReason } from '@/lib/ask';
import { runAction } from '@/lib/feedback';
import { formatDate } from '@/lib/format';
import { AdminFrame } from '../components/AdminFrame';
import '../admin.css';

export default function ResidentsPage() {
  const { params } = useRouter();
  return <Page>{() => <Residents id={params.id ?? ''} />}</Page>;
}

const REASONS = [
  ['moved_household', '换到本社区另一户'],
  ['moved_out', '迁出本社区'],
  ['deceased', '去世'],
  ['long_absence', '长期外出'],
] as const;

/** What became of the points, in words (the community's rule decides). */
function pointsDone(r: EndResidenceResult): string {
  const p = r.points;
  if (!p || p.points === 0) return '已登记，历史记录都保留';
  return p.rule === 'close' ? `已登记；可用积分 ${p.points} 分按社区规定清零` : `已登记；可用积分 ${p.points} 分转给同户的${p.to ?? '家人'}`;
}

/** 居民: the verified residents, searchable by name; moving out, death or long absence recorded with a reason. */
function Residents({ id }: { id: string }) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const list = usePagedList((cursor) => adminApi.members(id, 'resident', query, cursor), [id, query]);
  useDidShow(() => void list.reload());
  const { state } = list;
  const [moving, setMoving] = useState<Member | null>(null);
  async function end(m: Member, reason: (typeof REASONS)[number]) {
    if (reason[0] === 'moved_household') {
      setMoving(m);
      return;
    }
    const note = await askReason({ title: `${m.name}：${reason[1]}`, placeholder: '说明，例如 搬到女儿家住', minLength: 2, confirmText: '登记' });
    if (note)
      await runAction(
        () => adminApi.endResidence(m.membershipId, { reason: reason[0], note }),
        pointsDone,
        () => list.reload(),
      );
  }
  return (
    <AdminFrame section="residents" communityId={id}>
      <View className="card row">
        <Input
          className="input resident-q"
          value={q}
          placeholder="按姓名找"
          {...named('按姓名找')}
          confirmType="search"
          onInput={(e) => setQ(e.detail.value)}
          onConfirm={() => setQuery(q.trim())}
        />
        <Button className="btn secondary" onClick={() => setQuery(q.trim())}>
          找
        </Button>
      </View>
      {moving ? (
        <MoveHousehold
          communityId={id}
          member={moving}
          onClose={() => setMoving(null)}
          onMoved={async () => {
            setMoving(null);
            await list.reload();
          }}
        />
      ) : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void list.reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? (
        <Empty text={query ? '没有找到。' : '还没有认证居民。导入台账后，居民登录认领即成为认证居民。'} />
      ) : null}
      {state.status === 'ready' && state.data.length ? (
        <View className="card resident-list">
          {state.data.map((m) => (
            <View key={m.membershipId} className="list-item row">
              <View>
                <Text className="text">
                  {m.name} · {m.address ?? ''}
                </Text>
                <Text className="muted">
                  {m.phone ?? '未留手机'} · {formatDate(m.since)} 起
                </Text>
              </View>
              <Picker
                mode="selector"
                range={REASONS.map((r) => r[1])}
                onChange={(e) => {
                  const r = REASONS[Number(e.detail.value)];
                  if (r) void end(m, r);
                }}
              >
                <View className="btn plain resident-end">变动</View>
              </Picker>
            </View>
          ))}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      ) : null}
    </AdminFrame>
  );
}

/** 换户: find the new household by its address, then record the move with a note. */
function MoveHousehold({ communityId, member, onClose, onMoved }: { communityId: string; member: Member; onClose: () => void; onMoved: () => Promise<void> }) {
  async function move(h: GridHousehold) {
    const note = await askReason({ title: `${member.name} 换到 ${h.address}`, placeholder: '说明，例如 和儿子家合户', minLength: 2, confirmText: '登记' });
    if (note)
      await runAction(
        () => adminApi.endResidence(member.membershipId, { reason: 'moved_household', note, newHouseholdId: h.householdId }),
        `已换到 ${h.address}，原来的记录都保留`,
        onMoved,
      );
  }
  return (
    <View className="card stack move-household">
      <Text className="card-title">
        {member.name}（现住 {member.address ?? '未登记'}）换到哪一户
      </Text>
      <HouseholdSearch communityId={communityId} action="换到这里" exclude={member.householdId} onPick={(h) => void move(h)} />
      <Button className="btn plain move-cancel" onClick={onClose}>
        取消
      </Button>
    </View>
  );
}

import { useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button, Input, Textarea, Picker } from '@tarojs/components';
import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { gridApi, type GridDesk } from '@/api/grid';
import { coreApi } from '@/api/core';
import { ApiError } from '@/api/client';
import { usePageData, usePagedList } from '@/lib/pageData';
import { formatDateTime } from '@/lib/format';
import { DISPUTE_STATUS_LABEL } from '@contracts/vocab';
import { GridCommunity } from '../components/GridCommunity';
import { HouseholdSearch } from '@/components/HouseholdSearch';
import '../grid.css';

export default function DisputesPage() {
  const { params } = useRouter();
  return (
    <Page>
      {({ me }) => (
        <GridCommunity me={me} fromUrl={params.communityId} empty="矛盾纠纷只有调解的网格员和两委成员能看。">
          {(id) => <Disputes communityId={id} />}
        </GridCommunity>
      )}
    </Page>
  );
}

/** 矛盾纠纷调解: the cases I mediate (my grids; the whole community for the committee). Details stay with the mediators. */
function Disputes({ communityId }: { communityId: string }) {
  const [desk] = usePageData(() => gridApi.desk(communityId), [communityId]);
  const list = usePagedList((cursor) => gridApi.disputes(communityId, cursor), [communityId]);
  const [opening, setOpening] = useState(false);
  useDidShow(() => void list.reload());
  if (desk.status === 'loading') return <Loading />;
  if (desk.status === 'error') return <ErrorState message={desk.message} />;
  if (!desk.data.mayMediate) return <Empty text="矛盾纠纷只有调解的网格员和两委成员能看。" />;
  if (opening) return <OpenForm communityId={communityId} desk={desk.data} onCancel={() => setOpening(false)} />;
  const { state } = list;
  return (
    <View>
      <View className="card stack">
        <Text className="muted">纠纷的详情只有调解的网格员和两委成员能看到，不会出现在居民的页面上。</Text>
        <Button className="btn dispute-open" onClick={() => setOpening(true)}>
          登记一起纠纷
        </Button>
      </View>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void list.reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text="没有登记的纠纷。" /> : null}
      {state.status === 'ready' && state.data.length ? (
        <View className="card dispute-list">
          {state.data.map((d) => (
            <View key={d.id} className="list-item" role="link" onClick={() => Taro.navigateTo({ url: `/packages/grid/dispute/index?id=${d.id}` })}>
              <View className="row">
                <Text className="text">{d.title}</Text>
                <Text className={`tag ${d.status === 'open' ? 'warn' : 'ok'}`}>{DISPUTE_STATUS_LABEL[d.status]}</Text>
              </View>
              <Text className="muted">
                {d.gridName} · {formatDateTime(d.createdAt)} · 调解 {d.sessions} 次
              </Text>
            </View>
          ))}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      ) : null}
    </View>
  );
}

/** Parties are households picked building by building; the grid is the worker's own (or any, for the committee). */
function OpenForm({ communityId, desk, onCancel }: { communityId: string; desk: GridDesk; onCancel: () => void }) {
  const [community] = usePageData(() => coreApi.community(communityId), [communityId]);
  const grids = desk.isWorker ? desk.grids : community.status === 'ready' ? community.data.grids : [];
  const [gridId, setGridId] = useState<string | null>(null);
  const grid = grids.find((g) => g.id === gridId) ?? grids[0];
  const [title, setTitle] = useState('');
  const [details, setDetails] = useState('');
  const [parties, setParties] = useState<Array<{ id: string; address: string }>>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  async function save() {
    if (!grid) return;
    setBusy(true);
    try {
      const d = await gridApi.openDispute({ gridId: grid.id, title: title.trim(), details: details.trim(), partyHouseholdIds: parties.map((p) => p.id) });
      void Taro.redirectTo({ url: `/packages/grid/dispute/index?id=${d.id}` });
    } catch (e) {
      setErrors(e instanceof ApiError ? { ...e.fields, _: e.message } : { _: '没有保存成功，请再试一次' });
    } finally {
      setBusy(false);
    }
  }
  return (
    <View className="card stack dispute-form">
      <Text className="card-title">登记纠纷</Text>
      {grids.length > 1 ? (
        <Picker mode="selector" range={grids.map((g) => g.name)} onChange={(e) => setGridId(grids[Number(e.detail.value)]?.id ?? null)}>
          <View className="input picker">{grid?.name ?? '选择网格'}</View>
        </Picker>
      ) : null}
      <Input
        className="input dispute-title"
        value={title}
        maxlength={60}
        placeholder="简短标题，例如 楼上漏水纠纷"
        {...named('标题')}
        onInput={(e) => setTitle(e.detail.value)}
      />
      {errors.title ? <View className="field-error">{errors.title}</View> : null}
      <Textarea
        className="input textarea dispute-details"
        value={details}
        maxlength={3000}
        {...named('经过')}
        placeholder="纠纷的经过、双方的说法"
        onInput={(e) => setDetails(e.detail.value)}
      />
      {errors.details ? <View className="field-error">{errors.details}</View> : null}
      <View className="field">
        <View className="field-label">当事住户</View>
        {parties.map((p) => (
          <View key={p.id} className="row">
            <Text className="text">{p.address}</Text>
            <Button className="btn plain" onClick={() => setParties((x) => x.filter((y) => y.id !== p.id))}>
              移除
            </Button>
          </View>
        ))}
        <HouseholdSearch
          communityId={communityId}
          action="加为当事人"
          onPick={(h) => {
            if (!parties.some((p) => p.id === h.householdId)) setParties((x) => [...x, { id: h.householdId, address: h.address }]);
          }}
        />
        {errors.partyHouseholdIds ? <View className="field-error">{errors.partyHouseholdIds}</View> : null}
      </View>
      {errors._ ? (
        <View className="banner alert" role="alert">
          {errors._}
        </View>
      ) : null}
      <View className="btn-row">
        <Button className="btn plain" onClick={onCancel}>
          取消
        </Button>
        <ActionButton className="dispute-save" loading={busy} disabled={busy || !parties.length} onClick={() => void save()}>
          保存
        </ActionButton>
      </View>
    </View>
  );
}

import { useState } from 'react';
import { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button, Input, Picker } from '@tarojs/components';
import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { Page } from '@/components/Page';
import { ErrorState, Loading } from '@/components/StateView';
import { adminApi, type CommunitySetup } from '@/api/admin';
import { POINTS_ON_MOVE_OUT, POINTS_ON_MOVE_OUT_LABEL } from '@contracts/vocab';
import { coreApi } from '@/api/core';
import { ApiError } from '@/api/client';
import { fetchAllPages, usePageData } from '@/lib/pageData';
import { askReason, confirm } from '@/lib/ask';
import { runAction, toast } from '@/lib/feedback';
import { AdminFrame } from '../components/AdminFrame';
import { TableScroll } from '../components/TableScroll';
import '../admin.css';

export default function CommunitySetupPage() {
  const { params } = useRouter();
  return <Page>{() => <Setup id={params.id ?? ''} />}</Page>;
}

/** One community: its settings (street admins), grids with their workers, buildings and which grid each is in. */
function Setup({ id }: { id: string }) {
  const [state, reload] = usePageData(() => adminApi.community(id), [id]);
  const [buildings, reloadBuildings] = usePageData(() => fetchAllPages((cur) => coreApi.buildings(id, cur)), [id]);
  useDidShow(() => {
    void reload();
    void reloadBuildings();
  });
  const refresh = async () => {
    await Promise.all([reload(), reloadBuildings()]);
  };
  if (state.status === 'loading')
    return (
      <AdminFrame section="community" communityId={id}>
        <Loading />
      </AdminFrame>
    );
  if (state.status === 'error') {
    return (
      <AdminFrame section="community" communityId={id}>
        <ErrorState
          message={state.code === 'admin.community_not_found' ? '没有找到这个社区，或您没有管理它的权限。' : state.message}
          onRetry={() => void reload()}
        />
      </AdminFrame>
    );
  }
  const c = state.data;
  const activeGrids = c.grids.filter((g) => !g.archivedAt);
  return (
    <AdminFrame section="community" communityId={id}>
      <View className="card stack">
        <View className="row">
          <Text className="card-title">{c.name}</Text>
          <Text className={`tag ${c.archivedAt ? 'bad' : 'ok'}`}>{c.archivedAt ? '已停用' : '使用中'}</Text>
        </View>
        <Text className="muted">
          {c.streetName} · {c.counts.buildings} 栋 · {c.counts.households} 户 · {c.counts.residents} 位认证居民 · {c.counts.pendingRoster} 位待认领
        </Text>
      </View>
      {c.mayEditCommunity ? <Settings c={c} reload={refresh} /> : null}
      <View className="card stack admin-grids">
        <Text className="card-title">网格</Text>
        <TableScroll label="网格">
          <View className="table" role="table">
            <View className="table-row head" role="row">
              {['网格', '楼栋', '住户', '网格员', ''].map((h) => (
                <View key={h} className="table-cell" role="columnheader">
                  {h}
                </View>
              ))}
            </View>
            {c.grids.map((g) => (
              <View key={g.id} className="table-row" role="row">
                <View className="table-cell" role="cell">
                  {g.name}
                  {g.archivedAt ? '（已停用）' : ''}
                </View>
                <View className="table-cell num" role="cell">
                  {g.buildings}
                </View>
                <View className="table-cell num" role="cell">
                  {g.households}
                </View>
                <View className="table-cell" role="cell">
                  {g.workers.join('、') || '未配备（随手拍直接报社区）'}
                </View>
                <View className="table-cell" role="cell">
                  <Button
                    className="btn plain grid-rename"
                    onClick={() =>
                      void (async () => {
                        const name = await askReason({ title: `把“${g.name}”改名为`, placeholder: '新的网格名称', confirmText: '改名' });
                        if (name)
                          await runAction(
                            () => adminApi.saveGrid(id, g.id, { name, description: g.description, archived: Boolean(g.archivedAt) }),
                            '已改名',
                            refresh,
                          );
                      })()
                    }
                  >
                    改名
                  </Button>
                  <Button
                    className="btn plain grid-archive"
                    onClick={() =>
                      void (async () => {
                        if (
                          await confirm({
                            title: g.archivedAt ? '恢复网格' : '停用网格',
                            content: g.archivedAt ? '恢复后可以再往这个网格划楼栋。' : '停用后不能再往这里划楼栋，已有的记录都保留。',
                          })
                        ) {
                          await runAction(
                            () => adminApi.saveGrid(id, g.id, { name: g.name, description: g.description, archived: !g.archivedAt }),
                            '已保存',
                            refresh,
                          );
                        }
                      })()
                    }
                  >
                    {g.archivedAt ? '恢复' : '停用'}
                  </Button>
                </View>
              </View>
            ))}
          </View>
        </TableScroll>
        <AddLine
          placeholder="新网格的名称，例如 第三网格"
          action="新建网格"
          onAdd={(name) => runAction(() => adminApi.createGrid(id, name), '网格已新建', refresh)}
        />
      </View>
      <View className="card stack admin-buildings">
        <Text className="card-title">楼栋（院落、村民小组）</Text>
        {buildings.status === 'ready' ? (
          buildings.data.length ? (
            buildings.data.map((b) => (
              <View key={b.id} className="list-item row">
                <Text className="text">{b.name}</Text>
                <Picker
                  mode="selector"
                  range={activeGrids.map((g) => g.name)}
                  value={Math.max(
                    0,
                    activeGrids.findIndex((g) => g.id === b.gridId),
                  )}
                  onChange={(e) => {
                    const g = activeGrids[Number(e.detail.value)];
                    if (g && g.id !== b.gridId) void runAction(() => adminApi.saveBuilding(id, b.id, g.id, b.name), `已划到${g.name}`, refresh);
                  }}
                >
                  <View className="input picker building-grid">{b.gridName}（点此划到别的网格）</View>
                </Picker>
              </View>
            ))
          ) : (
            <Text className="muted">还没有楼栋。可以在这里添加，或用“导入台账”一次导入。</Text>
          )
        ) : (
          <Loading />
        )}
        {activeGrids.length ? (
          <AddBuilding grids={activeGrids} onAdd={(gridId, name) => runAction(() => adminApi.createBuilding(id, gridId, name), '楼栋已新建', refresh)} />
        ) : (
          <Text className="muted">先建一个网格，再添加楼栋。</Text>
        )}
      </View>
    </AdminFrame>
  );
}

function Settings({ c, reload }: { c: CommunitySetup; reload: () => Promise<void> }) {
  const [v, setV] = useState({
    name: c.name,
    address: c.address,
    servicePhone: c.servicePhone,
    serviceHours: c.serviceHours,
    cosignThreshold: String(c.cosignThreshold),
    objectionDays: String(c.objectionDays),
  });
  const [pointsRule, setPointsRule] = useState(c.pointsOnMoveOut);
  const [errors, setErrors] = useState<Record<string, string>>({});
  async function save() {
    try {
      await adminApi.saveCommunity(c.id, {
        streetId: c.streetId,
        kind: c.kind,
        name: v.name.trim(),
        address: v.address.trim(),
        servicePhone: v.servicePhone.trim(),
        serviceHours: v.serviceHours.trim(),
        cosignThreshold: Number(v.cosignThreshold),
        objectionDays: Number(v.objectionDays),
        pointsOnMoveOut: pointsRule,
      });
      setErrors({});
      toast('设置已保存');
      await reload();
    } catch (e) {
      setErrors(e instanceof ApiError ? { ...e.fields, _: e.message } : { _: '没有保存成功' });
    }
  }
  const field = (label: string, key: keyof typeof v, type: 'text' | 'number' = 'text') => (
    <View className="field">
      <View className="field-label">{label}</View>
      <Input className={`input setting-${key}`} type={type} value={v[key]} {...named(label)} onInput={(e) => setV({ ...v, [key]: e.detail.value })} />
      {errors[key] ? <View className="field-error">{errors[key]}</View> : null}
    </View>
  );
  return (
    <View className="card stack community-settings">
      <Text className="card-title">设置</Text>
      <View className="form-grid">
        {field('名称', 'name')}
        {field('地址', 'address')}
        {field('服务电话', 'servicePhone')}
        {field('服务时间', 'serviceHours')}
        {field('议题联名人数（达到后两委必须答复）', 'cosignThreshold', 'number')}
        {field('积分公示异议期（天）', 'objectionDays', 'number')}
        <View className="field">
          <View className="field-label">居民迁出或去世后，可用积分</View>
          <Picker
            mode="selector"
            range={POINTS_ON_MOVE_OUT.map((k) => POINTS_ON_MOVE_OUT_LABEL[k])}
            value={POINTS_ON_MOVE_OUT.indexOf(pointsRule)}
            onChange={(e) => setPointsRule(POINTS_ON_MOVE_OUT[Number(e.detail.value)] ?? 'keep')}
          >
            <View className="input picker setting-points-rule">{POINTS_ON_MOVE_OUT_LABEL[pointsRule]}</View>
          </Picker>
          <View className="muted">还在公示异议期内的积分不动；每一笔转移或清零都记在积分明细里。</View>
        </View>
      </View>
      {errors._ ? (
        <View className="banner alert" role="alert">
          {errors._}
        </View>
      ) : null}
      <View className="btn-row">
        <Button className="btn settings-save" onClick={() => void save()}>
          保存设置
        </Button>
        <Button
          className="btn plain community-archive"
          onClick={() =>
            void (async () => {
              if (
                await confirm({
                  title: c.archivedAt ? '恢复使用' : '停用这个社区',
                  content: c.archivedAt ? '恢复后居民和工作人员可以照常使用。' : '停用后不再出现在认证列表里，所有记录都保留，可以随时恢复。',
                })
              ) {
                await runAction(() => adminApi.archive(c.id, !c.archivedAt), '已保存', reload);
              }
            })()
          }
        >
          {c.archivedAt ? '恢复使用' : '停用'}
        </Button>
      </View>
    </View>
  );
}

function AddLine({ placeholder, action, onAdd }: { placeholder: string; action: string; onAdd: (v: string) => Promise<boolean> }) {
  const [value, setValue] = useState('');
  return (
    <View className="row">
      <Input className="input add-line" value={value} placeholder={placeholder} {...named(placeholder)} onInput={(e) => setValue(e.detail.value)} />
      <ActionButton
        className="secondary add-line-submit"
        disabled={value.trim().length < 1}
        onClick={() =>
          void onAdd(value.trim()).then((ok) => {
            if (ok) setValue('');
          })
        }
      >
        {action}
      </ActionButton>
    </View>
  );
}

function AddBuilding({ grids, onAdd }: { grids: CommunitySetup['grids']; onAdd: (gridId: string, name: string) => Promise<boolean> }) {
  const [gridIndex, setGridIndex] = useState(0);
  const grid = grids[gridIndex] ?? grids[0]!;
  return (
    <View className="stack">
      <Picker mode="selector" range={grids.map((g) => g.name)} value={gridIndex} onChange={(e) => setGridIndex(Number(e.detail.value))}>
        <View className="input picker">新楼栋放在：{grid.name}</View>
      </Picker>
      <AddLine placeholder="楼栋名称，例如 9号楼、东头组" action="添加楼栋" onAdd={(name) => onAdd(grid.id, name)} />
    </View>
  );
}

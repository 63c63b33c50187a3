import { useState } from 'react';
import { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button, Input, Picker } from '@tarojs/components';
import { named } from '@/lib/a11y';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { adminApi } from '@/api/admin';
import type { Me } from '@/api/core';
import { ApiError } from '@/api/client';
import { usePageData, usePagedList } from '@/lib/pageData';
import { askReason } from '@/lib/ask';
import { runAction, toast } from '@/lib/feedback';
import { formatDate } from '@/lib/format';
import { ROLE_LABEL } from '@contracts/vocab';
import { AdminFrame } from '../components/AdminFrame';
import '../admin.css';

export default function StaffPage() {
  const { params } = useRouter();
  return <Page>{({ me }) => <Staff id={params.id ?? ''} me={me} />}</Page>;
}

const END_LABEL: Record<string, string> = {
  withdrawn: '免去',
  moved_out: '迁出',
  moved_household: '户内调整',
  deceased: '去世',
  long_absence: '长期外出',
  account_deleted: '注销账号',
};

/** 工作人员: who holds which role since when; appoint by phone number; withdraw with a reason; the history. */
function Staff({ id, me }: { id: string; me: Me }) {
  const list = usePagedList((cursor) => adminApi.members(id, 'staff', undefined, cursor), [id]);
  const history = usePagedList((cursor) => adminApi.history(id, cursor), [id]);
  const reload = async () => {
    await Promise.all([list.reload(), history.reload()]);
  };
  useDidShow(() => void reload());
  const { state } = list;
  return (
    <AdminFrame section="staff" communityId={id}>
      <Grant id={id} streetAdmin={me.adminOf.length > 0} onDone={reload} />
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void list.reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text="还没有工作人员。" /> : null}
      {state.status === 'ready' && state.data.length ? (
        <View className="card staff-list">
          <Text className="card-title">现任</Text>
          {state.data.map((m) => (
            <View key={m.membershipId} className="list-item row">
              <View>
                <Text className="text">
                  {m.name} · {ROLE_LABEL[m.role]}
                  {m.gridName ? `（${m.gridName}）` : ''}
                </Text>
                <Text className="muted">
                  {m.title ? `${m.title} · ` : ''}
                  {m.phone ?? '未留手机'} · {formatDate(m.since)} 起
                </Text>
              </View>
              <Button
                className="btn plain staff-withdraw"
                onClick={() =>
                  void (async () => {
                    const reason = await askReason({
                      title: `免去${m.name}的${ROLE_LABEL[m.role]}身份`,
                      placeholder: '原因，例如 换届离任',
                      confirmText: '免去',
                    });
                    if (reason) await runAction(() => adminApi.withdraw(m.membershipId, reason), '已免去，立即生效', reload);
                  })()
                }
              >
                免去
              </Button>
            </View>
          ))}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      ) : null}
      {history.state.status === 'ready' && history.state.data.length ? (
        <View className="card staff-history">
          <Text className="card-title">变动记录</Text>
          {history.state.data.map((h) => (
            <View key={h.id} className="list-item">
              <Text className="text">
                {h.name} · {ROLE_LABEL[h.role as keyof typeof ROLE_LABEL] ?? h.role}
                {h.gridName ? `（${h.gridName}）` : ''}
                {h.address ? ` · ${h.address}` : ''}
              </Text>
              <Text className="muted">
                {formatDate(h.startedAt)} 起
                {h.endedAt
                  ? `，${formatDate(h.endedAt)} ${END_LABEL[h.endReason ?? ''] ?? ''}${h.endedBy ? `（${h.endedBy}）` : ''}${h.note ? `：${h.note}` : ''}`
                  : '，至今'}
              </Text>
            </View>
          ))}
          <ListFooter hasMore={history.hasMore} loadingMore={history.loadingMore} moreError={history.moreError} onMore={() => void history.loadMore()} />
        </View>
      ) : null}
    </AdminFrame>
  );
}

const ROLES = [
  ['grid_worker', '网格员'],
  ['clerk', '便民服务中心工作人员'],
  ['committee', '两委成员'],
  ['supervisor', '监督委员会成员'],
] as const;

function Grant({ id, streetAdmin, onDone }: { id: string; streetAdmin: boolean; onDone: () => Promise<void> }) {
  const [setup] = usePageData(() => adminApi.community(id), [id]);
  const roles = ROLES.filter(([r]) => streetAdmin || r === 'grid_worker' || r === 'clerk');
  const [role, setRole] = useState(0);
  const [gridIndex, setGridIndex] = useState(0);
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const grids = setup.status === 'ready' ? setup.data.grids.filter((g) => !g.archivedAt) : [];
  const roleId = roles[role]?.[0] ?? 'grid_worker';
  async function grant() {
    try {
      const r = await adminApi.grant(id, {
        phone: phone.trim(),
        name: name.trim(),
        role: roleId,
        gridId: roleId === 'grid_worker' ? (grids[gridIndex]?.id ?? null) : null,
        title: title.trim(),
      });
      toast(r.granted ? '已任命，立即生效' : '已发出邀请：对方用这个手机号登录后生效');
      setPhone('');
      setName('');
      setTitle('');
      setErrors({});
      await onDone();
    } catch (e) {
      setErrors(e instanceof ApiError ? { ...e.fields, _: e.message } : { _: '没有保存成功' });
    }
  }
  return (
    <View className="card stack grant-form">
      <Text className="card-title">任命</Text>
      <View className="form-grid">
        <View className="field">
          <View className="field-label">身份</View>
          <Picker mode="selector" range={roles.map((r) => r[1])} value={role} onChange={(e) => setRole(Number(e.detail.value))}>
            <View className="input picker grant-role">{roles[role]?.[1]}</View>
          </Picker>
        </View>
        {roleId === 'grid_worker' ? (
          <View className="field">
            <View className="field-label">负责网格</View>
            <Picker mode="selector" range={grids.map((g) => g.name)} value={gridIndex} onChange={(e) => setGridIndex(Number(e.detail.value))}>
              <View className="input picker grant-grid">{grids[gridIndex]?.name ?? '先建网格'}</View>
            </Picker>
            {errors.gridId ? <View className="field-error">{errors.gridId}</View> : null}
          </View>
        ) : null}
        <View className="field">
          <View className="field-label">手机号</View>
          <Input
            className="input grant-phone"
            type="number"
            maxlength={11}
            value={phone}
            {...named('手机号')}
            placeholder="对方登录用的手机号"
            onInput={(e) => setPhone(e.detail.value)}
          />
          {errors.phone ? <View className="field-error">{errors.phone}</View> : null}
        </View>
        <View className="field">
          <View className="field-label">姓名</View>
          <Input className="input grant-name" value={name} {...named('姓名')} onInput={(e) => setName(e.detail.value)} />
          {errors.name ? <View className="field-error">{errors.name}</View> : null}
        </View>
        <View className="field">
          <View className="field-label">职务（选填）</View>
          <Input className="input grant-title" value={title} {...named('职务')} placeholder="例如 第三网格网格员" onInput={(e) => setTitle(e.detail.value)} />
        </View>
      </View>
      {errors._ ? (
        <View className="banner alert" role="alert">
          {errors._}
        </View>
      ) : null}
      <Button className="btn grant-submit" onClick={() => void grant()}>
        任命
      </Button>
    </View>
  );
}

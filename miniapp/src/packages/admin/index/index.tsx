import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Button, Input, Picker } from '@tarojs/components';
import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { adminApi } from '@/api/admin';
import type { Me } from '@/api/core';
import { ApiError } from '@/api/client';
import { usePagedList } from '@/lib/pageData';
import { AdminFrame } from '../components/AdminFrame';
import '../admin.css';

export default function AdminHomePage() {
  return <Page>{({ me }) => <AdminHome me={me} />}</Page>;
}

/** The communities this person runs: all of the street's for its admins, their own for a committee. */
function AdminHome({ me }: { me: Me }) {
  const list = usePagedList((cursor) => adminApi.communities(cursor), []);
  const [creating, setCreating] = useState(false);
  useDidShow(() => void list.reload());
  const { state } = list;
  const street = me.adminOf[0];
  return (
    <AdminFrame section="communities">
      {street ? (
        <View className="card stack">
          <Text className="card-title">{street.streetName}</Text>
          <View className="btn-row">
            <Button className="btn admin-create-community" onClick={() => setCreating(true)}>
              新建社区或村
            </Button>
            <Button
              className="btn secondary admin-street-dashboard"
              onClick={() => Taro.navigateTo({ url: `/packages/admin/dashboard/index?streetId=${street.streetId}` })}
            >
              街道看板
            </Button>
            <Button className="btn secondary admin-departments" onClick={() => Taro.navigateTo({ url: '/packages/admin/departments/index' })}>
              街道部门
            </Button>
          </View>
        </View>
      ) : null}
      {creating && street ? <CreateForm streetId={street.streetId} onDone={() => setCreating(false)} /> : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void list.reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text="您还没有可以管理的社区或村。" /> : null}
      {state.status === 'ready' && state.data.length ? (
        <View className="card admin-communities">
          {state.data.map((c) => (
            <View key={c.id} className="list-item row" role="link" onClick={() => Taro.navigateTo({ url: `/packages/admin/community/index?id=${c.id}` })}>
              <Text className="text">
                {c.name}（{c.kind === 'village' ? '村' : '社区'}）
              </Text>
              <Text className={`tag ${c.archivedAt ? 'bad' : 'ok'}`}>{c.archivedAt ? '已停用' : '使用中'}</Text>
            </View>
          ))}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      ) : null}
    </AdminFrame>
  );
}

function CreateForm({ streetId, onDone }: { streetId: string; onDone: () => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'community' | 'village'>('community');
  const [address, setAddress] = useState('');
  const [phone, setPhone] = useState('');
  const [hours, setHours] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  async function save() {
    setBusy(true);
    try {
      const c = await adminApi.createCommunity({
        streetId,
        name: name.trim(),
        kind,
        address: address.trim(),
        servicePhone: phone.trim(),
        serviceHours: hours.trim(),
      });
      onDone();
      void Taro.navigateTo({ url: `/packages/admin/community/index?id=${c.id}` });
    } catch (e) {
      setErrors(e instanceof ApiError ? { ...e.fields, _: e.message } : { _: '没有保存成功' });
    } finally {
      setBusy(false);
    }
  }
  const field = (label: string, key: string, value: string, set: (v: string) => void, placeholder: string) => (
    <View className="field">
      <View className="field-label">{label}</View>
      <Input className={`input community-${key}`} value={value} placeholder={placeholder} {...named(label)} onInput={(e) => set(e.detail.value)} />
      {errors[key] ? <View className="field-error">{errors[key]}</View> : null}
    </View>
  );
  return (
    <View className="card stack community-form">
      <Text className="card-title">新建社区或村</Text>
      <View className="form-grid">
        {field('名称', 'name', name, setName, '例如 新华社区')}
        <View className="field">
          <View className="field-label">类型</View>
          <Picker
            mode="selector"
            range={['社区', '村']}
            value={kind === 'village' ? 1 : 0}
            onChange={(e) => setKind(Number(e.detail.value) === 1 ? 'village' : 'community')}
          >
            <View className="input picker">{kind === 'village' ? '村' : '社区'}</View>
          </Picker>
        </View>
        {field('地址', 'address', address, setAddress, '党群服务中心的地址')}
        {field('服务电话', 'servicePhone', phone, setPhone, '例如 0731-8452 6600')}
        {field('服务时间', 'serviceHours', hours, setHours, '例如 工作日 8:30–17:30')}
      </View>
      {errors._ ? (
        <View className="banner alert" role="alert">
          {errors._}
        </View>
      ) : null}
      <View className="btn-row">
        <Button className="btn plain" onClick={onDone}>
          取消
        </Button>
        <ActionButton className="community-save" loading={busy} disabled={busy} onClick={() => void save()}>
          创建
        </ActionButton>
      </View>
    </View>
  );
}

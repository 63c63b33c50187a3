import { useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import { View, Text, Button, Input } from '@tarojs/components';
import { named } from '@/lib/a11y';
import { Page } from '@/components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '@/components/StateView';
import { adminApi, type Department } from '@/api/admin';
import type { Me } from '@/api/core';
import { ApiError } from '@/api/client';
import { usePagedList } from '@/lib/pageData';
import { askReason, confirm } from '@/lib/ask';
import { runAction } from '@/lib/feedback';
import { AdminFrame } from '../components/AdminFrame';
import '../admin.css';

export default function DepartmentsPage() {
  return <Page>{({ me }) => <Departments me={me} />}</Page>;
}

/**
 * 街道部门: the departments a 随手拍 can call in (城管, 市场监管, 供电…) and the people who 报到 for each.
 * A contact is added by phone number and must already have signed in once; names are shown masked.
 */
function Departments({ me }: { me: Me }) {
  const street = me.adminOf[0];
  if (!street) {
    return (
      <AdminFrame section="departments">
        <Empty text="只有街道管理员可以设置街道部门。" />
      </AdminFrame>
    );
  }
  return <StreetDepartments streetId={street.streetId} streetName={street.streetName} />;
}

function StreetDepartments({ streetId, streetName }: { streetId: string; streetName: string }) {
  const list = usePagedList((cursor) => adminApi.departments(streetId, cursor), [streetId]);
  useDidShow(() => void list.reload());
  const { state } = list;
  const reload = () => list.reload();
  async function addContact(d: Department) {
    const phone = await askReason({
      title: `给${d.name}添加报到联系人`,
      placeholder: '联系人的 11 位手机号（本人登录过）',
      minLength: 11,
      confirmText: '添加',
    });
    if (phone)
      await runAction(
        () => adminApi.saveDepartment(streetId, { departmentId: d.id, name: d.name, phone: d.phone, contactPhone: phone.trim() }),
        '已添加',
        reload,
      );
  }
  async function removeContact(d: Department) {
    const phone = await askReason({ title: `从${d.name}移除联系人`, placeholder: '要移除的联系人的手机号', minLength: 11, confirmText: '移除' });
    if (phone && (await confirm({ title: '移除联系人', content: '移除后，这个人不再收到本部门的报到通知。以前的报到记录都保留。' })))
      await runAction(
        () => adminApi.saveDepartment(streetId, { departmentId: d.id, name: d.name, phone: d.phone, contactPhone: phone.trim(), removeContact: true }),
        '已移除',
        reload,
      );
  }
  async function rename(d: Department) {
    const phone = await askReason({ title: `${d.name}的办公电话`, placeholder: '例如 0571-86000000', minLength: 0, confirmText: '保存' });
    if (phone !== null) await runAction(() => adminApi.saveDepartment(streetId, { departmentId: d.id, name: d.name, phone: phone.trim() }), '已保存', reload);
  }
  return (
    <AdminFrame section="departments">
      <AddDepartment streetId={streetId} streetName={streetName} onDone={reload} />
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void list.reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text="还没有部门。添加后，网格员处理随手拍时可以叫部门来报到。" /> : null}
      {state.status === 'ready' && state.data.length ? (
        <View className="card department-list">
          {state.data.map((d) => (
            <View key={d.id} className="list-item stack department">
              <Text className="text">{d.name}</Text>
              <Text className="muted">
                {d.phone || '未填办公电话'} · 报到联系人：{d.contacts.length ? d.contacts.join('、') : '还没有'}
              </Text>
              <View className="btn-row">
                <Button className="btn secondary department-add-contact" onClick={() => void addContact(d)}>
                  添加联系人
                </Button>
                {d.contacts.length ? (
                  <Button className="btn plain department-remove-contact" onClick={() => void removeContact(d)}>
                    移除联系人
                  </Button>
                ) : null}
                <Button className="btn plain department-phone" onClick={() => void rename(d)}>
                  改电话
                </Button>
              </View>
            </View>
          ))}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      ) : null}
    </AdminFrame>
  );
}

function AddDepartment({ streetId, streetName, onDone }: { streetId: string; streetName: string; onDone: () => Promise<void> }) {
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  async function add() {
    try {
      await adminApi.saveDepartment(streetId, { name: name.trim(), phone: phone.trim() });
      setName('');
      setPhone('');
      setErrors({});
      await onDone();
    } catch (e) {
      setErrors(e instanceof ApiError ? { ...e.fields, _: e.message } : { _: '没有保存成功，请重试' });
    }
  }
  return (
    <View className="card stack department-new">
      <Text className="card-title">{streetName}的部门</Text>
      <View className="form-grid">
        <View className="field">
          <View className="field-label">部门名称</View>
          <Input className="input department-name" value={name} placeholder="例如 城管中队" {...named('部门名称')} onInput={(e) => setName(e.detail.value)} />
          {errors.name ? <View className="field-error">{errors.name}</View> : null}
        </View>
        <View className="field">
          <View className="field-label">办公电话（选填）</View>
          <Input className="input department-office-phone" value={phone} {...named('办公电话')} onInput={(e) => setPhone(e.detail.value)} />
          {errors.phone ? <View className="field-error">{errors.phone}</View> : null}
        </View>
      </View>
      {errors._ ? (
        <View className="banner alert" role="alert">
          {errors._}
        </View>
      ) : null}
      <Button className="btn department-create" onClick={() => void add()}>
        添加部门
      </Button>
    </View>
  );
}

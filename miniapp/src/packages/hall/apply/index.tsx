import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { Page } from '../../../components/Page';
import { ErrorState, Loading } from '../../../components/StateView';
import { hallApi } from '../../../api/hall';
import { ApiError, newIdempotencyKey } from '../../../api/client';
import { usePageData } from '../../../lib/pageData';
import { FormFields } from '../components/FormFields';

export default function ApplyPage() {
  const { params } = useRouter();
  return <Page>{() => <Apply id={params.id ?? ''} proxyRequestId={params.proxy} />}</Page>;
}

function Apply({ id, proxyRequestId }: { id: string; proxyRequestId?: string }) {
  const [state, reload] = usePageData(() => hallApi.item(id), [id]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [key] = useState(newIdempotencyKey); // a retry of this submission returns the same case
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  const item = state.data;
  async function submit() {
    const local: Record<string, string> = {};
    for (const f of item.form) if (f.required && !values[f.key]?.trim()) local[f.key] = '这一项必须填写';
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const formData = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim()).map(([k, v]) => [k, v.trim()]));
      const a = await hallApi.apply({ itemId: item.id, formData, ...(proxyRequestId ? { proxyRequestId } : {}) }, key);
      Taro.redirectTo({ url: `/packages/hall/case/index?id=${a.id}` });
    } catch (e) {
      setErrors(e instanceof ApiError ? { ...e.fields, _: e.message } : { _: '提交失败，请稍后再试' });
    } finally {
      setBusy(false);
    }
  }
  return (
    <View className="card apply-form">
      <Text className="card-title">{item.name}</Text>
      {proxyRequestId ? <View className="banner info">您正在为居民代办，提交后居民能看到每一步都有您的名字。</View> : null}
      <Text className="muted">请准备好：{item.materials.join('；')}。材料原件办结时核对。</Text>
      <FormFields form={item.form} values={values} errors={errors} onChange={setValues} />
      {errors._ ? <View className="banner alert" role="alert">{errors._}</View> : null}
      <Button className="btn apply-submit" loading={busy} disabled={busy} onClick={() => void submit()}>提交申请</Button>
    </View>
  );
}

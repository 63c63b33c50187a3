import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { ActionButton } from '@/components/ActionButton';
import { Page } from '@/components/Page';
import { ErrorState, Loading } from '@/components/StateView';
import { hallApi } from '@/api/hall';
import { ApiError, newIdempotencyKey } from '@/api/client';
import { usePageData } from '@/lib/pageData';
import { FormFields, checkForm } from '../components/FormFields';
import { Uploader } from '@/components/Uploader';
import { filesApi, type StoredFile } from '@/api/files';
import { toast } from '@/lib/feedback';

export default function ApplyPage() {
  const { params } = useRouter();
  return <Page>{() => <Apply id={params.id ?? ''} proxyRequestId={params.proxy} />}</Page>;
}

function Apply({ id, proxyRequestId }: { id: string; proxyRequestId?: string }) {
  const [state, reload] = usePageData(() => hallApi.item(id), [id]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<StoredFile[]>([]);
  const [key] = useState(newIdempotencyKey); // a retry of this submission returns the same case
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  const item = state.data;
  async function submit() {
    const local = checkForm(item.form, values);
    setErrors(Object.keys(local).length ? { ...local, _: '有几项需要改一下，请看标红的地方。' } : {});
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const formData = Object.fromEntries(
        Object.entries(values)
          .filter(([, v]) => v.trim())
          .map(([k, v]) => [k, v.trim()]),
      );
      const a = await hallApi.apply({ itemId: item.id, formData, ...(proxyRequestId ? { proxyRequestId } : {}) }, key);
      if (files.length) {
        // The case exists now; should adding the photos fail, they can be added again on the case page.
        await filesApi
          .attach(
            'application',
            a.id,
            files.map((f) => f.id),
          )
          .catch(() => toast('材料照片没有加上，请在办件页点“补充材料”再加一次'));
      }
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
      <Text className="hint-plain">带 * 的是必填项。</Text>
      <FormFields form={item.form} values={values} errors={errors} onChange={setValues} onErrors={setErrors} />
      <View className="field">
        <View className="field-label">材料照片（选填）</View>
        <Text className="muted">可以拍下户口本、租赁合同等材料，工作人员先看照片，办结时再核对原件。照片里的位置信息会被去掉。</Text>
        <Uploader communityId={item.communityId} purpose="application" label="材料照片" allowDocuments onChange={setFiles} />
      </View>
      {errors._ ? (
        <View className="banner alert" role="alert">
          {errors._}
        </View>
      ) : null}
      <ActionButton className="apply-submit" loading={busy} disabled={busy} onClick={() => void submit()}>
        提交申请
      </ActionButton>
    </View>
  );
}

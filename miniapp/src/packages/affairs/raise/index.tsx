import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button, Input, Textarea } from '@tarojs/components';
import { Uploader } from '../../../components/Uploader';
import { filesApi, type StoredFile } from '../../../api/files';
import { toast } from '../../../lib/feedback';
import { Page } from '../../../components/Page';
import { affairsApi } from '../../../api/affairs';
import { ApiError } from '../../../api/client';
import { currentCommunity } from '../../../lib/session';

export default function RaisePage() {
  return <Page>{({ me }) => <Raise communityId={currentCommunity(me)?.id ?? ''} />}</Page>;
}

function Raise({ communityId }: { communityId: string }) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [photos, setPhotos] = useState<StoredFile[]>([]);
  async function submit() {
    setBusy(true);
    try {
      const t = await affairsApi.raise(communityId, title.trim(), description.trim());
      if (photos.length) await filesApi.attach('topic', t.id, photos.map((p) => p.id)).catch(() => toast('照片没有加上，可以在议题页再加'));
      Taro.redirectTo({ url: `/packages/affairs/topic/index?id=${t.id}` });
    } catch (e) {
      setErrors(e instanceof ApiError ? { ...e.fields, _: e.message } : { _: '提交失败' });
    } finally {
      setBusy(false);
    }
  }
  return (
    <View className="card">
      <Text className="muted">说清楚是什么事、在哪里、希望怎么解决。邻居联名到规定人数，两委必须列入议事或公开答复。</Text>
      <View className="field"><View className="field-label">标题</View><Input className="input topic-title" value={title} maxlength={60} placeholder="例如 东门外乱停车，建议划线管理" onInput={(e) => setTitle(e.detail.value)} />{errors.title ? <View className="field-error">{errors.title}</View> : null}</View>
      <View className="field"><View className="field-label">详细情况</View><Textarea className="input topic-description" style={{ height: '280px', padding: '16px' }} value={description} maxlength={3000} onInput={(e) => setDescription(e.detail.value)} />{errors.description ? <View className="field-error">{errors.description}</View> : null}</View>
      <View className="field"><View className="field-label">现场照片（选填）</View><Uploader communityId={communityId} purpose="topic" label="现场照片" onChange={setPhotos} /></View>
      {errors._ ? <View className="banner alert">{errors._}</View> : null}
      <Button className="btn topic-submit" loading={busy} disabled={busy} onClick={() => void submit()}>提交议题</Button>
    </View>
  );
}

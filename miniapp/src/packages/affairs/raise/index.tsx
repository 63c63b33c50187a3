import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { ActionButton } from '@/components/ActionButton';
import { TextField, lengthError } from '@/components/Field';
import { Uploader } from '@/components/Uploader';
import { filesApi, type StoredFile } from '@/api/files';
import { toast } from '@/lib/feedback';
import { Page } from '@/components/Page';
import { affairsApi } from '@/api/affairs';
import { ApiError } from '@/api/client';
import { currentCommunity } from '@/lib/session';

export default function RaisePage() {
  return <Page>{({ me }) => <Raise communityId={currentCommunity(me)?.id ?? ''} />}</Page>;
}

function Raise({ communityId }: { communityId: string }) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [photos, setPhotos] = useState<StoredFile[]>([]);
  // The same rules as the server (4–60 characters, at least 10 to describe), said before sending.
  const titleError = title.trim().length > 0 && title.trim().length < 4 ? '标题至少 4 个字' : '';
  const descriptionError = description.trim().length > 0 && description.trim().length < 10 ? '请把情况说清楚（至少 10 个字）' : '';
  async function submit() {
    const local: Record<string, string> = {};
    if (title.trim().length < 4) local.title = title.trim() ? '标题至少 4 个字' : '请写一个标题，例如“东门外乱停车”';
    if (title.trim().length > 60) local.title = lengthError(title, 60);
    if (description.trim().length < 10) local.description = '请把情况说清楚（至少 10 个字）';
    if (description.trim().length > 3000) local.description = lengthError(description, 3000);
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const t = await affairsApi.raise(communityId, title.trim(), description.trim());
      if (photos.length)
        await filesApi
          .attach(
            'topic',
            t.id,
            photos.map((p) => p.id),
          )
          .catch(() => toast('照片没有加上，可以在议题页再加'));
      Taro.redirectTo({ url: `/packages/affairs/topic/index?id=${t.id}` });
    } catch (e) {
      setErrors(e instanceof ApiError ? { ...e.fields, _: e.message } : { _: '提交失败，请稍后再试' });
    } finally {
      setBusy(false);
    }
  }
  return (
    <View className="card">
      <Text className="muted">说清楚是什么事、在哪里、希望怎么解决。邻居联名到规定人数，两委必须列入议事或公开答复。带 * 的是必填项。</Text>
      <TextField
        label="标题"
        required
        inputClassName="topic-title"
        value={title}
        max={60}
        placeholder="如：东门外乱停车"
        hint="一句话说清是什么事，4 到 60 个字。"
        error={errors.title || titleError}
        onChange={setTitle}
      />
      <TextField
        label="详细情况"
        required
        multiline
        inputClassName="topic-description"
        value={description}
        max={3000}
        hint="在哪里、什么时候、影响了谁、希望怎么解决（至少 10 个字）。"
        error={errors.description || descriptionError}
        onChange={setDescription}
      />
      <View className="field">
        <View className="field-label">
          现场照片<Text className="field-optional">（选填）</Text>
        </View>
        <Uploader communityId={communityId} purpose="topic" label="现场照片" onChange={setPhotos} />
      </View>
      {errors._ ? (
        <View className="banner alert" role="alert">
          {errors._}
        </View>
      ) : null}
      <ActionButton className="topic-submit" loading={busy} disabled={busy} onClick={() => void submit()}>
        提交议题
      </ActionButton>
    </View>
  );
}

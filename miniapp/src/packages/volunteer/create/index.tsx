import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { shanghaiDate } from '@contracts/time';
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Input, Textarea, Picker, Switch } from '@tarojs/components';
import { Page } from '@/components/Page';
import { volunteerApi } from '@/api/volunteer';
import { ApiError } from '@/api/client';
import { currentCommunity } from '@/lib/session';

const tomorrow = () => shanghaiDate(Date.now(), 1);

export default function CreateActivityPage() {
  return <Page>{({ me }) => <CreateForm communityId={currentCommunity(me)?.id ?? ''} />}</Page>;
}

function CreateForm({ communityId }: { communityId: string }) {
  const [f, setF] = useState({
    title: '',
    description: '',
    place: '',
    date: tomorrow(),
    start: '09:00',
    end: '11:00',
    capacity: '10',
    pointsPerHour: '10',
    cancelHours: '2',
    minPresence: '30',
    waitlist: true,
    skills: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof f) => (e: { detail: { value: string | boolean } }) => setF({ ...f, [k]: e.detail.value });
  const err = (k: string) => (errors[k] ? <View className="field-error">{errors[k]}</View> : null);

  async function submit() {
    setBusy(true);
    setErrors({});
    try {
      const a = await volunteerApi.create({
        communityId,
        title: f.title.trim(),
        description: f.description,
        place: f.place.trim(),
        startsAt: new Date(`${f.date}T${f.start}:00+08:00`).toISOString(),
        endsAt: new Date(`${f.date}T${f.end}:00+08:00`).toISOString(),
        capacity: Number(f.capacity),
        pointsPerHour: Number(f.pointsPerHour),
        cancelHours: Number(f.cancelHours),
        minPresenceMinutes: Number(f.minPresence),
        waitlist: f.waitlist,
        requiredSkills: f.skills
          .split(/[，,、\s]+/)
          .map((x) => x.trim())
          .filter(Boolean),
      });
      Taro.redirectTo({ url: `/packages/volunteer/activity/index?id=${a.id}` });
    } catch (e) {
      setErrors(e instanceof ApiError ? { ...e.fields, _: e.message } : { _: '发布失败，请稍后再试' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="card create-activity">
      <View className="field">
        <View className="field-label">活动名称</View>
        <Input className="input act-title" value={f.title} onInput={set('title')} placeholder="例如 义务理发进楼栋" {...named('例如 义务理发进楼栋')} />
        {err('title')}
      </View>
      <View className="field">
        <View className="field-label">地点</View>
        <Input className="input act-place" value={f.place} onInput={set('place')} placeholder="在哪里集合" {...named('在哪里集合')} />
        {err('place')}
      </View>
      <View className="field">
        <View className="field-label">时间</View>
        <Picker mode="date" value={f.date} onChange={set('date')}>
          <View className="input picker">{f.date}</View>
        </Picker>
        <View className="btn-row" style={{ marginTop: '12px' }}>
          <Picker mode="time" value={f.start} onChange={set('start')}>
            <View className="input picker">开始 {f.start}</View>
          </Picker>
          <Picker mode="time" value={f.end} onChange={set('end')}>
            <View className="input picker">结束 {f.end}</View>
          </Picker>
        </View>
        {err('startsAt')}
        {err('endsAt')}
      </View>
      <View className="field">
        <View className="field-label">名额（人）</View>
        <Input className="input act-capacity" type="number" value={f.capacity} {...named('名额（人）')} onInput={set('capacity')} />
        {err('capacity')}
      </View>
      <View className="field">
        <View className="field-label">每小时积分</View>
        <Input className="input act-points" type="number" value={f.pointsPerHour} {...named('每小时积分')} onInput={set('pointsPerHour')} />
        {err('pointsPerHour')}
      </View>
      <View className="field">
        <View className="field-label">开始前几小时截止取消</View>
        <Input className="input" type="number" value={f.cancelHours} {...named('开始前几小时截止取消')} onInput={set('cancelHours')} />
      </View>
      <View className="field">
        <View className="field-label">至少在场几分钟才计积分</View>
        <Input className="input" type="number" value={f.minPresence} {...named('至少在场几分钟才计积分')} onInput={set('minPresence')} />
      </View>
      <View className="field">
        <View className="field-label">需要的特长（选填，用逗号隔开）</View>
        <Input className="input" value={f.skills} onInput={set('skills')} placeholder="例如 理发, 开车" {...named('例如 理发, 开车')} />
      </View>
      <View className="field row">
        <Text className="text">满员后允许候补</Text>
        <Switch checked={f.waitlist} color="#b83227" {...named('满员后允许候补')} onChange={set('waitlist')} />
      </View>
      <View className="field">
        <View className="field-label">活动说明</View>
        <Textarea
          className="input"
          style={{ height: '200px', padding: '16px' }}
          value={f.description}
          onInput={set('description')}
          placeholder="做什么、要带什么、找谁"
          {...named('做什么、要带什么、找谁')}
        />
      </View>
      {errors._ ? (
        <View className="banner alert" role="alert">
          {errors._}
        </View>
      ) : null}
      <ActionButton className="btn create-submit" loading={busy} disabled={busy} onClick={() => void submit()}>
        发布活动
      </ActionButton>
    </View>
  );
}

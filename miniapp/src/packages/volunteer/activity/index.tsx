import { useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button, Input } from '@tarojs/components';
import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { confirm } from '@/lib/ask';
import { Page } from '@/components/Page';
import { ErrorState, Loading } from '@/components/StateView';
import { volunteerApi, type Activity } from '@/api/volunteer';
import { newIdempotencyKey } from '@/api/client';
import { usePageData } from '@/lib/pageData';
import { formatDateTime, formatMinutes, formatSpan } from '@/lib/format';
import { toast, errorMessage } from '@/lib/feedback';

export default function ActivityPage() {
  const { params } = useRouter();
  return <Page>{() => <ActivityDetail id={params.id ?? ''} />}</Page>;
}

function ActivityDetail({ id }: { id: string }) {
  const [state, reload] = usePageData(() => volunteerApi.activity(id), [id]);
  useDidShow(() => void reload());
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error')
    return <ErrorState message={state.message} onRetry={state.code === 'volunteer.activity_not_found' ? undefined : () => void reload()} />;
  const a = state.data;
  const left = a.capacity - a.seatsTaken;
  return (
    <View className="activity-detail">
      <View className="card stack">
        <Text className="hero activity-title">{a.title}</Text>
        <Text className="text">{formatSpan(a.startsAt, a.endsAt)}</Text>
        <Text className="text">地点：{a.place}</Text>
        <Text className="muted">
          组织者 {a.organizer ?? ''} · 每小时 {a.pointsPerHour} 分（按实际在场时间，满 {a.minPresenceMinutes} 分钟才计）
        </Text>
        {a.requiredSkills.length ? <Text className="muted">需要：{a.requiredSkills.join('、')}</Text> : null}
        {a.description ? <Text className="text">{a.description}</Text> : null}
        <Text className="text seats">
          名额 {a.seatsTaken}/{a.capacity}
          {left <= 0 ? (a.waitlist ? '，已满，可以候补' : '，已满') : ''}
        </Text>
        <Text className="muted">{formatDateTime(a.cancelUntil)} 前可以取消</Text>
      </View>
      <MySignup a={a} reload={reload} />
      {a.canOrganize ? (
        <Button className="btn secondary organize" onClick={() => Taro.navigateTo({ url: `/packages/volunteer/organize/index?id=${a.id}` })}>
          组织者：签到码与出勤确认
        </Button>
      ) : null}
    </View>
  );
}

function MySignup({ a, reload }: { a: Activity; reload: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState('');
  const [key] = useState(newIdempotencyKey); // one key per attempt on this page: retries are safe
  const s = a.mySignup;
  const started = new Date(a.startsAt) <= new Date();

  async function run(fn: () => Promise<unknown>, done: string) {
    setBusy(true);
    try {
      await fn();
      toast(done);
      await reload();
    } catch (e) {
      toast(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  async function scan(direction: 'in' | 'out') {
    try {
      const r = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
      const m = /^cunju:checkin:([0-9a-f-]{36}):(\d{6})$/.exec(r.result);
      if (!m || m[1] !== a.id) return toast('这不是本活动的签到码');
      await run(() => volunteerApi.checkin(a.id, m[2]!, direction), direction === 'in' ? '签到成功' : '签退成功');
    } catch {
      /* cancelled */
    }
  }

  if (!s) {
    if (started)
      return (
        <View className="card">
          <Text className="text">活动已经开始，不能再报名了。</Text>
        </View>
      );
    return (
      <View className="card stack">
        <ActionButton
          className="signup"
          loading={busy}
          disabled={busy || (a.seatsTaken >= a.capacity && !a.waitlist)}
          why="名额已满，这次活动不设候补"
          onClick={() => void run(() => volunteerApi.signUp(a.id, key), a.seatsTaken < a.capacity ? '报名成功' : '已进入候补')}
        >
          {a.seatsTaken < a.capacity ? '我要报名' : a.waitlist ? '候补报名' : '名额已满'}
        </ActionButton>
      </View>
    );
  }
  return (
    <View className="card stack my-signup">
      <Text className="card-title signup-status">{s.status === 'confirmed' ? '您已报名' : `候补第 ${s.waitlistPosition} 位，有人取消会自动补上`}</Text>
      {s.minutes != null ? (
        <Text className="text">
          确认时长 {formatMinutes(s.minutes)}，获得 {s.points} 分
        </Text>
      ) : null}
      {s.status === 'confirmed' && s.minutes == null ? (
        <View className="stack checkin">
          <Text className="muted">
            {s.checkedInAt ? `已签到 ${formatDateTime(s.checkedInAt)}` : '到了现场，扫组织者手机上的签到码'}
            {s.checkedOutAt ? `，已签退 ${formatDateTime(s.checkedOutAt)}` : ''}
          </Text>
          {process.env.TARO_ENV === 'weapp' ? (
            <Button className="btn" onClick={() => void scan(s.checkedInAt ? 'out' : 'in')}>
              {s.checkedInAt ? '扫码签退' : '扫码签到'}
            </Button>
          ) : (
            <View className="stack">
              <Text className="field-label">签到码</Text>
              <Text className="field-hint">组织者手机上显示的 6 位数字</Text>
              <Input
                className="input code-input"
                type="number"
                maxlength={6}
                placeholder="6位数字"
                value={code}
                {...named('签到码，6 位数字')}
                onInput={(e) => setCode(e.detail.value)}
              />
              <ActionButton
                className="checkin-submit"
                disabled={busy || code.length !== 6}
                why={busy ? undefined : '请先输入 6 位签到码'}
                onClick={() =>
                  void run(() => volunteerApi.checkin(a.id, code, s.checkedInAt ? 'out' : 'in'), s.checkedInAt ? '签退成功' : '签到成功').then(() =>
                    setCode(''),
                  )
                }
              >
                {s.checkedInAt ? '签退' : '签到'}
              </ActionButton>
            </View>
          )}
        </View>
      ) : null}
      {!started ? (
        <ActionButton
          className="plain cancel-signup"
          disabled={busy}
          onClick={() =>
            void (async () => {
              const ok = await confirm({
                title: '取消报名？',
                content: s.status === 'confirmed' ? '取消后名额会让给候补的人，想再去需要重新报名。' : '取消后会离开候补名单。',
                confirmText: '取消报名',
                cancelText: '不取消',
              });
              if (ok) await run(() => volunteerApi.cancel(a.id), '已取消报名');
            })()
          }
        >
          取消报名
        </ActionButton>
      ) : null}
    </View>
  );
}

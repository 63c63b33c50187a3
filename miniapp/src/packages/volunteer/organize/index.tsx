import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { LinkText } from '@/components/LinkText';
import { useEffect, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text, Button, Input } from '@tarojs/components';
import { Page } from '@/components/Page';
import { ErrorState, Loading } from '@/components/StateView';
import { volunteerApi, type Activity } from '@/api/volunteer';
import { ApiError } from '@/api/client';
import { usePageData } from '@/lib/pageData';
import { formatDateTime, formatMinutes } from '@/lib/format';
import { QrCode } from '@/components/QrCode';
import { toast } from '@/lib/feedback';

export default function OrganizePage() {
  const { params } = useRouter();
  return <Page>{() => <Organize id={params.id ?? ''} />}</Page>;
}

function Organize({ id }: { id: string }) {
  const [state, reload] = usePageData(() => volunteerApi.activity(id), [id]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  const a = state.data;
  if (!a.canOrganize) return <ErrorState message="只有活动组织者和两委成员可以打开这一页。" />;
  return (
    <View>
      {!a.confirmedAt ? <RotatingCode id={id} onTick={() => void reload()} /> : null}
      <Attendance a={a} reload={reload} />
    </View>
  );
}

/** The code changes every 45 seconds: a photo of it sent to a friend stops working. */
function RotatingCode({ id, onTick }: { id: string; onTick: () => void }) {
  const [code, setCode] = useState<{ code: string; qr: string; expiresAt: string } | null>(null);
  const [error, setError] = useState('');
  const [now, setNow] = useState(Date.now());
  // biome-ignore lint/correctness/useExhaustiveDependencies: one timer per activity; onTick is the parent's latest
  useEffect(() => {
    let stop = false;
    const load = () =>
      volunteerApi
        .checkinCode(id)
        .then((c) => !stop && (setCode(c), setError('')))
        .catch((e) => !stop && setError(e instanceof ApiError ? e.message : '获取签到码失败'));
    void load();
    const timer = setInterval(() => {
      setNow(Date.now());
      void load();
      onTick();
    }, 5000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [id]);
  if (error) return <ErrorState message={error} />;
  if (!code) return <Loading text="正在生成签到码…" />;
  const left = Math.max(0, Math.round((new Date(code.expiresAt).getTime() - now) / 1000));
  return (
    <View className="card stack" style={{ textAlign: 'center' }}>
      <Text className="card-title">请志愿者扫码签到、签退</Text>
      <QrCode text={code.qr} />
      <Text className="hero checkin-code" style={{ letterSpacing: '12px' }}>
        {code.code}
      </Text>
      <Text className="muted">约 {left} 秒后更换。没有微信扫码的，可以在网页版输入这 6 位数字。</Text>
    </View>
  );
}

function Attendance({ a, reload }: { a: Activity; reload: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [minutes, setMinutes] = useState('');
  const [reason, setReason] = useState('');
  const people = a.signups ?? [];
  const [asking, setAsking] = useState(false);
  async function confirm() {
    setAsking(false);
    setBusy(true);
    try {
      await volunteerApi.confirm(a.id);
      toast('已确认，积分已记入');
      await reload();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : '确认失败');
    } finally {
      setBusy(false);
    }
  }
  async function correct(signupId: string) {
    try {
      await volunteerApi.correct(signupId, Number(minutes), reason.trim());
      setEditing(null);
      toast('已更正');
      await reload();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : '更正失败');
    }
  }
  return (
    <View className="card stack attendance">
      <Text className="card-title">
        出勤（{people.filter((p) => p.status === 'confirmed').length}/{a.capacity}）
      </Text>
      {people.length === 0 ? <Text className="muted">还没有人报名。</Text> : null}
      {people.map((p) => (
        <View key={p.id} className="list-item attendee">
          <View className="row">
            <Text className="text">
              {p.name}
              {p.status === 'waitlisted' ? '（候补）' : ''}
            </Text>
            <Text className="muted">
              {p.minutes != null ? `${formatMinutes(p.minutes)} · ${p.points} 分` : p.checkedOutAt ? '已签退' : p.checkedInAt ? '已签到' : '未签到'}
            </Text>
          </View>
          {p.checkedInAt ? (
            <Text className="muted">
              签到 {formatDateTime(p.checkedInAt)}
              {p.checkedOutAt ? ` · 签退 ${formatDateTime(p.checkedOutAt)}` : ''}
            </Text>
          ) : null}
          {p.correctionReason ? <Text className="muted">更正原因：{p.correctionReason}</Text> : null}
          {a.confirmedAt && p.status === 'confirmed' ? (
            editing === p.id ? (
              <View className="stack">
                <Input
                  className="input"
                  type="number"
                  placeholder="实际服务分钟数"
                  {...named('实际服务分钟数')}
                  value={minutes}
                  onInput={(e) => setMinutes(e.detail.value)}
                />
                <Input
                  className="input"
                  placeholder="更正原因（必填）"
                  {...named('更正原因（必填）')}
                  value={reason}
                  onInput={(e) => setReason(e.detail.value)}
                />
                <View className="btn-row">
                  <Button className="btn plain" onClick={() => setEditing(null)}>
                    取消
                  </Button>
                  <ActionButton className="btn" disabled={!minutes || reason.trim().length < 2} onClick={() => void correct(p.id)}>
                    保存更正
                  </ActionButton>
                </View>
              </View>
            ) : (
              <LinkText
                onClick={() => {
                  setEditing(p.id);
                  setMinutes(String(p.minutes ?? 0));
                  setReason('');
                }}
              >
                更正时长 ›
              </LinkText>
            )
          ) : null}
        </View>
      ))}
      {!a.confirmedAt && !asking ? (
        <ActionButton className="btn confirm-attendance" loading={busy} disabled={busy || new Date(a.startsAt) > new Date()} onClick={() => setAsking(true)}>
          {new Date(a.startsAt) > new Date() ? '活动开始后才能确认出勤' : '确认出勤并记积分'}
        </ActionButton>
      ) : null}
      {!a.confirmedAt && asking ? (
        <View className="banner info stack">
          <Text>按签到、签退时间计算每个人的时长并记积分。确认后只能逐人更正（要写原因），不能撤回。</Text>
          <View className="btn-row">
            <Button className="btn plain" onClick={() => setAsking(false)}>
              再看看
            </Button>
            <Button className="btn confirm-yes" onClick={() => void confirm()}>
              确认
            </Button>
          </View>
        </View>
      ) : null}
      {a.confirmedAt ? <Text className="muted">已于 {formatDateTime(a.confirmedAt)} 确认。</Text> : null}
    </View>
  );
}

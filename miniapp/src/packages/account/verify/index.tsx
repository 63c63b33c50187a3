import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button, Picker, Checkbox, Label } from '@tarojs/components';
import { Page } from '@/components/Page';
import { ErrorState, Loading, Empty } from '@/components/StateView';
import { coreApi, type BuildingOption, type CommunityOption } from '@/api/core';
import { fetchAllPages } from '@/lib/pageData';
import { RELATIONS } from '@contracts/vocab';
import { ApiError } from '@/api/client';
import { refreshMe } from '@/lib/session';
import { ActionButton } from '@/components/ActionButton';
import { Field, TextField } from '@/components/Field';
import { named } from '@/lib/a11y';

const PHONE_CONSENT_VERSION = '2026-11-01';

export default function VerifyPage() {
  return <Page>{() => <VerifyForm />}</Page>;
}

function VerifyForm() {
  const [load, setLoad] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; communities: CommunityOption[] }>({
    status: 'loading',
  });
  const [ci, setCi] = useState(0);
  const [bi, setBi] = useState(-1);
  const [room, setRoom] = useState('');
  const [realName, setRealName] = useState('');
  const [ri, setRi] = useState(0);
  const [phone, setPhone] = useState('');
  const [phoneConsent, setPhoneConsent] = useState(false);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const fetchCommunities = () => {
    setLoad({ status: 'loading' });
    fetchAllPages((cursor) => coreApi.communities(cursor), 5)
      .then((communities) => setLoad({ status: 'ready', communities }))
      .catch((e) => setLoad({ status: 'error', message: e instanceof ApiError ? e.message : '加载失败' }));
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the list is fetched once when the page opens (and again on retry)
  useEffect(fetchCommunities, []);

  const communities = load.status === 'ready' ? load.communities : [];
  const community = communities[ci];
  // The buildings of the chosen community (a few pages at most).
  const [buildings, setBuildings] = useState<BuildingOption[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: fetched again only when another community is chosen
  useEffect(() => {
    setBuildings([]);
    if (!community) return;
    fetchAllPages((cursor) => coreApi.buildings(community.id, cursor), 20)
      .then(setBuildings)
      .catch(() => setBuildings([]));
  }, [community?.id]);

  async function submit() {
    const local: Record<string, string> = {};
    if (!community) local.communityId = '请选择社区或村';
    if (bi < 0) local.buildingId = '请选择楼栋或村民小组';
    if (!room.trim()) local.room = '请填写门牌号';
    if (realName.trim().length < 2) local.realName = '请填写真实姓名';
    if (room.trim().length > 40) local.room = '门牌号最多 40 个字';
    if (realName.trim().length > 20) local.realName = '姓名最多 20 个字';
    if (phone && !/^1[3-9]\d{9}$/.test(phone)) local.phone = '手机号应为11位数字，以1开头';
    if (note.trim().length > 200) local.note = '备注最多 200 个字';
    if (phone && !phoneConsent) local.phone = '留手机号需要您勾选同意';
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      if (phone) await coreApi.recordConsent('phone_number', PHONE_CONSENT_VERSION, true);
      await coreApi.requestVerification({
        communityId: community!.id,
        buildingId: buildings[bi]!.id,
        room: room.trim(),
        realName: realName.trim(),
        relation: RELATIONS[ri]!,
        ...(phone ? { phone } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      await refreshMe();
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors({ ...err.fields, _: err.message });
      } else setErrors({ _: '提交失败，请稍后再试' });
    } finally {
      setBusy(false);
    }
  }

  if (load.status === 'loading') return <Loading />;
  if (load.status === 'error') return <ErrorState message={load.message} onRetry={fetchCommunities} />;
  if (communities.length === 0) return <Empty text="还没有可以加入的社区或村。" />;
  if (done) {
    return (
      <View className="card stack verify-done">
        <Text className="card-title">已提交，等待审核</Text>
        <Text className="text">社区工作人员或您所在网格的网格员会在 1–2 个工作日内审核。审核结果会显示在“我的”里。</Text>
        <Button className="btn" onClick={() => Taro.switchTab({ url: '/pages/me/index' })}>
          回到我的
        </Button>
      </View>
    );
  }

  return (
    <View className="card verify-form">
      <Text className="muted">认证后可以网上办事、参与议事投票、报名志愿活动。只收集必要信息，手机号选填。</Text>
      <Text className="hint-plain">带 * 的是必填项。</Text>
      <Field label="社区或村" required error={errors.communityId}>
        <Picker
          mode="selector"
          range={communities.map((c) => `${c.streetName} ${c.name}`)}
          value={ci}
          onChange={(e) => {
            setCi(Number(e.detail.value));
            setBi(-1);
          }}
        >
          <View className="input picker" role="button" aria-label={`社区或村：${community ? community.name : '请选择'}`}>
            <Text>{community ? `${community.streetName} ${community.name}` : '请选择 ›'}</Text>
          </View>
        </Picker>
      </Field>
      <Field label="楼栋 / 村民小组" required error={errors.buildingId}>
        <Picker
          mode="selector"
          range={buildings.map((b) => `${b.name}（${b.gridName}）`)}
          value={Math.max(bi, 0)}
          onChange={(e) => setBi(Number(e.detail.value))}
        >
          <View className="input picker building-picker" role="button" aria-label={`楼栋或村民小组：${bi >= 0 ? buildings[bi]!.name : '请选择'}`}>
            <Text>{bi >= 0 ? buildings[bi]!.name : '请选择 ›'}</Text>
          </View>
        </Picker>
      </Field>
      <TextField label="门牌号" required inputClassName="room-input" placeholder="如 2单元301" value={room} max={40} error={errors.room} onChange={setRoom} />
      <TextField
        label="真实姓名"
        required
        inputClassName="name-input"
        hint="和户口本或身份证上一致"
        value={realName}
        max={20}
        error={errors.realName}
        onChange={setRealName}
      />
      <Field label="与户主的关系" required>
        <Picker mode="selector" range={[...RELATIONS]} value={ri} onChange={(e) => setRi(Number(e.detail.value))}>
          <View className="input picker" role="button" aria-label={`与户主的关系：${RELATIONS[ri]}`}>
            <Text>{RELATIONS[ri]}</Text>
          </View>
        </Picker>
      </Field>
      <TextField
        label="手机号"
        type="number"
        inputClassName="phone-input"
        hint="方便工作人员联系您"
        placeholder="11位手机号"
        value={phone}
        max={11}
        error={errors.phone}
        onChange={setPhone}
      />
      {phone ? (
        <Label className="row consent-row" onClick={() => setPhoneConsent(!phoneConsent)}>
          <Checkbox value="phone" checked={phoneConsent} color="#b83227" {...named('同意社区保存我的手机号')} />
          <Text className="muted">我同意社区保存我的手机号，仅用于联系我；其他人看到的会打码。</Text>
        </Label>
      ) : null}
      <TextField label="备注" placeholder="如：刚搬来" hint="例如：刚搬来，房产证在身边" value={note} max={200} onChange={setNote} />
      {errors._ ? (
        <View className="banner alert" role="alert">
          {errors._}
        </View>
      ) : null}
      <ActionButton className="verify-submit" loading={busy} disabled={busy} onClick={submit}>
        提交认证申请
      </ActionButton>
    </View>
  );
}

import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button, Input, Picker, Checkbox, Label } from '@tarojs/components';
import { Page } from '../../../components/Page';
import { ErrorState, Loading, Empty } from '../../../components/StateView';
import { coreApi, type BuildingOption, type CommunityOption } from '../../../api/core';
import { fetchAllPages } from '../../../lib/pageData';
import { RELATIONS } from '@contracts/vocab';
import { ApiError } from '../../../api/client';
import { refreshMe } from '../../../lib/session';

const PHONE_CONSENT_VERSION = '2026-11-01';

export default function VerifyPage() {
  return <Page>{() => <VerifyForm />}</Page>;
}

function VerifyForm() {
  const [load, setLoad] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; communities: CommunityOption[] }>({ status: 'loading' });
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
  useEffect(fetchCommunities, []);

  const communities = load.status === 'ready' ? load.communities : [];
  const community = communities[ci];
  // The buildings of the chosen community (a few pages at most).
  const [buildings, setBuildings] = useState<BuildingOption[]>([]);
  useEffect(() => {
    setBuildings([]);
    if (!community) return;
    fetchAllPages((cursor) => coreApi.buildings(community.id, cursor), 20).then(setBuildings).catch(() => setBuildings([]));
  }, [community?.id]);

  async function submit() {
    const local: Record<string, string> = {};
    if (!community) local.communityId = '请选择社区或村';
    if (bi < 0) local.buildingId = '请选择楼栋或村民小组';
    if (!room.trim()) local.room = '请填写门牌号';
    if (realName.trim().length < 2) local.realName = '请填写真实姓名';
    if (phone && !/^1[3-9]\d{9}$/.test(phone)) local.phone = '手机号格式不对';
    if (phone && !phoneConsent) local.phone = '留手机号需要您勾选同意';
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      if (phone) await coreApi.recordConsent('phone_number', PHONE_CONSENT_VERSION, true);
      await coreApi.requestVerification({
        communityId: community!.id, buildingId: buildings[bi]!.id, room: room.trim(), realName: realName.trim(),
        relation: RELATIONS[ri]!, ...(phone ? { phone } : {}), ...(note.trim() ? { note: note.trim() } : {}),
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
        <Button className="btn" onClick={() => Taro.switchTab({ url: '/pages/me/index' })}>回到我的</Button>
      </View>
    );
  }

  return (
    <View className="card verify-form">
      <Text className="muted">认证后可以网上办事、参与议事投票、报名志愿活动。只收集必要信息，手机号选填。</Text>
      <View className="field">
        <View className="field-label">社区或村</View>
        <Picker mode="selector" range={communities.map((c) => `${c.streetName} ${c.name}`)} value={ci} onChange={(e) => { setCi(Number(e.detail.value)); setBi(-1); }}>
          <View className="input picker">{community ? `${community.streetName} ${community.name}` : '请选择'}</View>
        </Picker>
        {errors.communityId ? <View className="field-error">{errors.communityId}</View> : null}
      </View>
      <View className="field">
        <View className="field-label">楼栋 / 村民小组</View>
        <Picker mode="selector" range={buildings.map((b) => `${b.name}（${b.gridName}）`)} value={Math.max(bi, 0)} onChange={(e) => setBi(Number(e.detail.value))}>
          <View className="input picker building-picker">{bi >= 0 ? buildings[bi]!.name : '请选择'}</View>
        </Picker>
        {errors.buildingId ? <View className="field-error">{errors.buildingId}</View> : null}
      </View>
      <View className="field">
        <View className="field-label">门牌号</View>
        <Input className="input room-input" placeholder="例如 2单元301 或 12号" value={room} maxlength={40} onInput={(e) => setRoom(e.detail.value)} />
        {errors.room ? <View className="field-error">{errors.room}</View> : null}
      </View>
      <View className="field">
        <View className="field-label">真实姓名</View>
        <Input className="input name-input" placeholder="和户口本或身份证上一致" value={realName} maxlength={20} onInput={(e) => setRealName(e.detail.value)} />
        {errors.realName ? <View className="field-error">{errors.realName}</View> : null}
      </View>
      <View className="field">
        <View className="field-label">与户主的关系</View>
        <Picker mode="selector" range={[...RELATIONS]} value={ri} onChange={(e) => setRi(Number(e.detail.value))}>
          <View className="input picker">{RELATIONS[ri]}</View>
        </Picker>
      </View>
      <View className="field">
        <View className="field-label">手机号（选填）</View>
        <Input className="input" type="number" placeholder="方便工作人员联系您" value={phone} maxlength={11} onInput={(e) => setPhone(e.detail.value)} />
        {phone ? (
          <Label className="row" onClick={() => setPhoneConsent(!phoneConsent)}>
            <Checkbox value="phone" checked={phoneConsent} color="#b83227" />
            <Text className="muted">我同意社区保存我的手机号，仅用于联系我；其他人看到的会打码。</Text>
          </Label>
        ) : null}
        {errors.phone ? <View className="field-error">{errors.phone}</View> : null}
      </View>
      <View className="field">
        <View className="field-label">备注（选填）</View>
        <Input className="input" placeholder="例如：刚搬来，房产证在身边" value={note} maxlength={200} onInput={(e) => setNote(e.detail.value)} />
      </View>
      {errors._ ? <View className="banner alert" role="alert">{errors._}</View> : null}
      <Button className="btn verify-submit" loading={busy} disabled={busy} onClick={submit}>提交认证申请</Button>
    </View>
  );
}

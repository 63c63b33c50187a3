import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { View, Text, Button, Switch } from '@tarojs/components';
import { Page } from '../../components/Page';
import { setElderMode, useElderMode } from '../../lib/elder';
import { chooseCommunity, currentCommunity, ensureSession, signOut, refreshMe } from '../../lib/session';
import { roleLabel, verificationLabel, formatDateTime, communityKindLabel } from '../../lib/format';
import { coreApi, type Me } from '../../api/core';
import { ApiError } from '../../api/client';
import { named } from '../../lib/a11y';

export default function MePage() {
  usePullDownRefresh(() => {
    void ensureSession(true).finally(() => Taro.stopPullDownRefresh());
  });
  return <Page>{({ me }) => <MeView me={me} />}</Page>;
}

function MeView({ me }: { me: Me }) {
  const elder = useElderMode();
  const isResident = me.communities.some((c) => c.roles.includes('resident'));
  const current = currentCommunity(me);
  const reviews = me.communities.filter((c) => c.roles.some((r) => r === 'committee' || r === 'grid_worker' || r === 'admin'));
  const noticeDesks = me.communities.filter((c) => c.roles.some((r) => r === 'committee' || r === 'supervisor'));
  const mallDesks = me.communities.filter((c) => c.roles.includes('clerk'));
  const gridDesk =
    me.adminOf.length > 0 || me.communities.some((c) => c.roles.some((r) => r === 'grid_worker' || r === 'committee' || r === 'clerk' || r === 'supervisor'));

  async function withdrawPrivacy() {
    const r = await Taro.showModal({
      title: '撤回隐私授权',
      content: '撤回后需要重新同意才能继续使用网上服务。已经办理的事项不受影响。',
      confirmText: '撤回',
    });
    if (!r.confirm) return;
    try {
      await coreApi.recordConsent('privacy_policy', me.privacyPolicyVersion, false);
      await refreshMe();
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '操作失败', icon: 'none' });
    }
  }

  return (
    <View className="me">
      <View className="card stack">
        <Text className="hero me-name">{me.profile.realName ?? me.profile.displayName}</Text>
        {me.profile.phoneMasked ? <Text className="muted">手机 {me.profile.phoneMasked}</Text> : null}
        {me.communities.length === 0 ? <Text className="text">还没有加入任何社区或村</Text> : null}
        {me.communities.map((c) => (
          <View key={c.id} className="list-item me-community">
            <Text className="text">
              {c.streetName} · {c.name}（{communityKindLabel(c.kind)}）
            </Text>
            <View>
              {c.roles.map((r) => (
                <Text key={r} className="tag">
                  {roleLabel[r] ?? r}
                </Text>
              ))}
            </View>
            {c.household ? (
              <Text className="muted">
                住址：{c.household.address}（{c.household.gridName}）
              </Text>
            ) : null}
            {c.grids.length ? <Text className="muted">负责网格：{c.grids.map((g) => g.name).join('、')}</Text> : null}
            {me.communities.length > 1 ? (
              current?.id === c.id ? (
                <Text className="tag ok community-current">正在使用</Text>
              ) : (
                <Button className="btn plain community-switch" onClick={() => chooseCommunity(c.id)}>
                  切换到{c.name}
                </Button>
              )
            ) : null}
          </View>
        ))}
        {me.adminOf.map((a) => (
          <Text key={a.streetId} className="tag">
            {a.streetName}管理员
          </Text>
        ))}
      </View>

      <View className="card stack">
        <View className="row">
          <View>
            <Text className="card-title">长辈版</Text>
            <View>
              <Text className="muted">字更大、按钮更大、首页更简单</Text>
            </View>
          </View>
          <View className="elder-switch-box">
            <Switch
              className="elder-switch"
              checked={elder}
              color="#b83227"
              onChange={(e) => setElderMode(e.detail.value)}
              {...named('长辈版：字更大、按钮更大')}
            />
          </View>
        </View>
      </View>

      <View className="card stack">
        <Text className="card-title">居民认证</Text>
        {me.verifications.length === 0 && !isResident ? <Text className="text">还没有申请过认证。</Text> : null}
        {me.verifications.map((v) => (
          <View key={v.id} className="list-item">
            <View className="row">
              <Text className="text">
                {v.communityName} {v.address}
              </Text>
              <Text className={`tag ${v.status === 'approved' ? 'ok' : v.status === 'refused' ? 'bad' : 'warn'}`}>{verificationLabel[v.status]}</Text>
            </View>
            <Text className="muted">申请时间 {formatDateTime(v.createdAt)}</Text>
            {v.reason ? (
              <View>
                <Text className="muted">原因：{v.reason}</Text>
              </View>
            ) : null}
          </View>
        ))}
        <Button className="btn secondary" onClick={() => Taro.navigateTo({ url: '/packages/account/verify/index' })}>
          {isResident ? '加入另一个社区或村' : '申请居民认证'}
        </Button>
      </View>

      {me.communities.length ? (
        <View className="card stack">
          <Text className="card-title">随手拍</Text>
          <Button className="btn plain my-reports-entry" onClick={() => Taro.navigateTo({ url: '/packages/grid/mine/index' })}>
            我反映的问题和进度
          </Button>
        </View>
      ) : null}

      {reviews.length || noticeDesks.length || mallDesks.length || gridDesk || me.departments.length || me.adminOf.length ? (
        <View className="card stack workbench">
          <Text className="card-title">工作台</Text>
          {me.adminOf.length || me.communities.some((c) => c.roles.includes('committee')) ? (
            <Button className="btn plain admin-entry" onClick={() => Taro.navigateTo({ url: '/packages/admin/index/index' })}>
              社区管理（网格、台账导入、人员、看板）
            </Button>
          ) : null}
          {me.communities.some((c) => c.roles.includes('committee') || c.roles.includes('supervisor')) ? (
            <Button
              className="btn plain dashboard-entry"
              onClick={() =>
                Taro.navigateTo({
                  url: `/packages/admin/dashboard/index?id=${(me.communities.find((c) => c.roles.includes('committee') || c.roles.includes('supervisor')))!.id}`,
                })
              }
            >
              社区看板
            </Button>
          ) : null}
          {gridDesk ? (
            <Button className="btn plain grid-desk-entry" onClick={() => Taro.navigateTo({ url: '/packages/grid/desk/index' })}>
              网格工作台（随手拍、走访、调解、考核）
            </Button>
          ) : null}
          {me.departments.length ? (
            <Button className="btn plain department-calls-entry" onClick={() => Taro.navigateTo({ url: '/packages/grid/calls/index' })}>
              {me.departments.map((d) => d.name).join('、')} · 部门报到
            </Button>
          ) : null}
          {noticeDesks.map((c) => (
            <Button
              key={`n-${c.id}`}
              className="btn plain notice-desk"
              onClick={() => Taro.navigateTo({ url: `/packages/notices/manage/index?communityId=${c.id}` })}
            >
              {c.name} · {c.roles.includes('committee') ? '公告与公开' : '公开事项审核'}
            </Button>
          ))}
          {mallDesks.map((c) => (
            <Button key={`h-${c.id}`} className="btn plain hall-desk-entry" onClick={() => Taro.navigateTo({ url: '/packages/hall/desk/index' })}>
              {c.name} · 窗口工作台
            </Button>
          ))}
          {mallDesks.map((c) => (
            <Button key={`m-${c.id}`} className="btn plain mall-desk" onClick={() => Taro.navigateTo({ url: '/packages/mall/handover/index' })}>
              {c.name} · 积分超市核销
            </Button>
          ))}
          {reviews.map((c) => (
            <Button key={c.id} className="btn plain" onClick={() => Taro.navigateTo({ url: `/packages/staff/verifications/index?communityId=${c.id}` })}>
              {c.name} · 居民认证审核
            </Button>
          ))}
        </View>
      ) : null}

      <View className="card stack">
        <Text className="card-title">隐私与授权</Text>
        <Button className="btn plain" onClick={() => Taro.navigateTo({ url: '/packages/account/privacy/index' })}>
          隐私保护指引
        </Button>
        <Button className="btn plain" onClick={withdrawPrivacy}>
          撤回隐私授权
        </Button>
        <Button className="btn plain me-mydata" onClick={() => Taro.navigateTo({ url: '/packages/account/mydata/index' })}>
          我的数据（查看、下载）
        </Button>
        <Button className="btn plain me-access-log" onClick={() => Taro.navigateTo({ url: '/packages/account/access-log/index' })}>
          谁查看了我的信息
        </Button>
        <Button className="btn plain me-delete" onClick={() => Taro.navigateTo({ url: '/packages/account/delete/index' })}>
          注销账号
        </Button>
        {process.env.TARO_ENV === 'h5' ? (
          <Button
            className="btn plain"
            onClick={() => {
              signOut();
              Taro.reLaunch({ url: '/packages/account/login/index' });
            }}
          >
            退出 / 切换演示身份
          </Button>
        ) : null}
      </View>
    </View>
  );
}

import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { Page } from '../../components/Page';
import { ServiceCentreCard } from '../../components/ServiceCentreCard';
import { useElderMode } from '../../lib/elder';
import { ensureSession, currentCommunity, rememberedCommunityId } from '../../lib/session';
import { getToken } from '../../api/client';
import type { Me } from '../../api/core';
import { noticesApi, type NoticeHome } from '../../api/notices';
import { usePageData, type Load } from '../../lib/pageData';
import { EmergencyBanner, NoticeItem } from '../../components/NoticeItem';
import { ErrorState, Loading } from '../../components/StateView';

// Asked for as soon as this page's code runs, beside the sign-in's /api/me rather than after it: the
// community the resident last acted in is remembered. Used once, and only if it is still the current one.
let early: { communityId: string; answer: Promise<NoticeHome> } | null = (() => {
  const communityId = rememberedCommunityId();
  if (!communityId || !getToken()) return null;
  const answer = noticesApi.home(communityId);
  answer.catch(() => undefined); // a failure is shown by the page's own request
  return { communityId, answer };
})();

function homeNotices(communityId: string): Promise<NoticeHome> {
  const e = early;
  early = null;
  return e && e.communityId === communityId ? e.answer.catch(() => noticesApi.home(communityId)) : noticesApi.home(communityId);
}

export default function HomePage() {
  const elder = useElderMode();
  return <Page>{({ me }) => <Home me={me} elder={elder} />}</Page>;
}

function Home({ me, elder }: { me: Me; elder: boolean }) {
  const c = currentCommunity(me);
  const [notices, reload] = usePageData(() => (c ? homeNotices(c.id) : Promise.resolve(null)), [c?.id]);
  usePullDownRefresh(() => {
    void Promise.all([ensureSession(true), reload()]).finally(() => Taro.stopPullDownRefresh());
  });
  useDidShow(() => void reload());
  const emergencies = notices.status === 'ready' && notices.data ? notices.data.emergencies : [];
  return (
    <View>
      {emergencies.map((n) => (
        <EmergencyBanner key={n.id} n={n} />
      ))}
      {elder ? <ElderHome me={me} /> : <StandardHome me={me} notices={notices} reload={reload} />}
    </View>
  );
}

function NoticesCard({ notices, reload }: { notices: Load<NoticeHome | null>; reload: () => Promise<void> }) {
  if (notices.status === 'loading')
    return (
      <View className="card">
        <Loading text="正在加载公告…" />
      </View>
    );
  if (notices.status === 'error')
    return (
      <View className="card">
        <ErrorState message={notices.message} onRetry={() => void reload()} />
      </View>
    );
  if (!notices.data) return null;
  const items = [...notices.data.pinned, ...notices.data.latest];
  return (
    <View className="card home-notices">
      <View className="row">
        <Text className="card-title">公告公开</Text>
        <View className="more-link" role="link" aria-label="全部公告" onClick={() => Taro.navigateTo({ url: '/packages/notices/list/index' })}>
          <Text>全部 ›</Text>
        </View>
      </View>
      {items.length === 0 ? <Text className="muted">还没有公告。</Text> : items.map((n) => <NoticeItem key={n.id} n={n} />)}
    </View>
  );
}

function greeting(me: Me) {
  return `${me.profile.realName ?? me.profile.displayName}，您好`;
}

function VerificationBanner({ me }: { me: Me }) {
  if (me.communities.some((c) => c.roles.includes('resident'))) return null;
  const pending = me.verifications.find((v) => v.status === 'pending');
  return (
    <View className="banner info" role="link" onClick={() => Taro.navigateTo({ url: '/packages/account/verify/index' })}>
      <Text>
        {pending
          ? `您申请加入${pending.communityName}的认证正在审核，一般 1–2 个工作日内完成。`
          : '您还没有认证为居民。认证后可以网上办事、参与议事和志愿服务。点这里去认证 ›'}
      </Text>
    </View>
  );
}

function StandardHome({ me, notices, reload }: { me: Me; notices: Load<NoticeHome | null>; reload: () => Promise<void> }) {
  const c = currentCommunity(me);
  return (
    <View>
      <View className="card">
        <Text className="hero">{greeting(me)}</Text>
        <View>
          <Text className="muted">{c ? `${c.streetName} · ${c.name}` : '尚未加入社区'}</Text>
        </View>
      </View>
      <VerificationBanner me={me} />
      <NoticesCard notices={notices} reload={reload} />
      <View className="card">
        <Text className="card-title">常用</Text>
        <View className="grid-links">
          <Button className="btn plain" onClick={() => Taro.switchTab({ url: '/pages/hall/index' })}>
            办事大厅
          </Button>
          <Button className="btn plain" onClick={() => Taro.switchTab({ url: '/pages/affairs/index' })}>
            议事协商
          </Button>
          <Button className="btn plain" onClick={() => Taro.switchTab({ url: '/pages/volunteer/index' })}>
            志愿服务
          </Button>
          <Button className="btn plain home-report" onClick={() => Taro.navigateTo({ url: '/packages/grid/new/index' })}>
            随手拍
          </Button>
          {c ? (
            <Button className="btn plain home-chain" onClick={() => Taro.navigateTo({ url: `/packages/public/chain/index?community=${c.id}` })}>
              公开记录
            </Button>
          ) : null}
          <Button className="btn plain" onClick={() => Taro.switchTab({ url: '/pages/me/index' })}>
            我的
          </Button>
        </View>
      </View>
      <ServiceCentreCard me={me} />
    </View>
  );
}

/** 长辈版首页: a few big buttons, the calls first. */
function ElderHome({ me }: { me: Me }) {
  const c = currentCommunity(me);
  return (
    <View className="elder-home">
      <View className="card">
        <Text className="hero">{greeting(me)}</Text>
      </View>
      <VerificationBanner me={me} />
      <View className="stack">
        {c?.gridWorker?.phone ? (
          <Button className="btn" onClick={() => Taro.makePhoneCall({ phoneNumber: c.gridWorker!.phone! })}>
            给网格员{c.gridWorker.name}打电话
          </Button>
        ) : null}
        {c?.servicePhone ? (
          <Button className="btn secondary" onClick={() => Taro.makePhoneCall({ phoneNumber: c.servicePhone.replace(/\s/g, '') })}>
            给社区打电话
          </Button>
        ) : null}
        <Button className="btn plain" onClick={() => Taro.navigateTo({ url: '/packages/notices/list/index' })}>
          看公告
        </Button>
        <Button className="btn plain" onClick={() => Taro.switchTab({ url: '/pages/hall/index' })}>
          我要办事
        </Button>
        {c ? (
          <Button className="btn plain home-report" onClick={() => Taro.navigateTo({ url: '/packages/grid/new/index' })}>
            随手拍：反映问题
          </Button>
        ) : null}
        <Button className="btn plain" onClick={() => Taro.switchTab({ url: '/pages/me/index' })}>
          我的 / 设置
        </Button>
      </View>
    </View>
  );
}

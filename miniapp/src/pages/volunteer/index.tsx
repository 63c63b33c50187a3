import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { Page } from '../../components/Page';
import { ActivityItem } from '../../components/ActivityItem';
import { Empty, ErrorState, Loading } from '../../components/StateView';
import { pointsApi, volunteerApi } from '../../api/volunteer';
import { usePageData } from '../../lib/pageData';
import { currentCommunity, hasRole } from '../../lib/session';
import type { Me } from '../../api/core';

export default function VolunteerPage() {
  return (
    <Page>
      {({ me }) => {
        const c = currentCommunity(me);
        return c && c.roles.length ? (
          <Volunteer me={me} communityId={c.id} />
        ) : (
          <Empty
            text="认证为居民后，就可以报名志愿活动、积攒积分了。"
            action="去认证"
            onAction={() => Taro.navigateTo({ url: '/packages/account/verify/index' })}
          />
        );
      }}
    </Page>
  );
}

function Volunteer({ me, communityId }: { me: Me; communityId: string }) {
  const [data, reload] = usePageData(async () => {
    const [upcoming, mine, calls, points] = await Promise.all([
      volunteerApi.activities(communityId, 'upcoming'),
      volunteerApi.activities(communityId, 'mine'),
      volunteerApi.whistles(communityId),
      pointsApi.me(communityId),
    ]);
    return { upcoming: upcoming.items, mine: mine.items.filter((a) => new Date(a.endsAt) > new Date()), calls: calls.items, points };
  }, [communityId]);
  useDidShow(() => void reload());
  const organiser = hasRole(me, communityId, ['committee']);
  const caller = hasRole(me, communityId, ['committee', 'grid_worker']);
  const go = (url: string) => Taro.navigateTo({ url });

  if (data.status === 'loading') return <Loading />;
  if (data.status === 'error') return <ErrorState message={data.message} onRetry={() => void reload()} />;
  const d = data.data;
  const open = d.calls.filter((c) => c.open && !c.responded);
  return (
    <View className="volunteer-home">
      {open.map((c) => (
        <View key={c.id} className="banner alert whistle-banner" role="link" onClick={() => go('/packages/volunteer/whistle/index')}>
          <Text style={{ fontWeight: 700 }}>【吹哨报到】{c.title}</Text>
          <Text className="muted">
            {c.place} · 已有 {c.responseCount} 人报到，点这里报到
          </Text>
        </View>
      ))}
      <View className="card points-card" role="link" onClick={() => go('/packages/volunteer/points/index')}>
        <View className="row">
          <View>
            <Text className="muted">可用积分</Text>
            <Text className="hero points-available">{d.points.available}</Text>
          </View>
          <View>
            <Text className="muted">待公示</Text>
            <Text className="text points-pending">{d.points.pending}</Text>
          </View>
          <View>
            <Text className="muted">合计</Text>
            <Text className="text points-balance">{d.points.balance}</Text>
          </View>
        </View>
        <Text className="muted">新得的积分要等当月公示期结束才能使用。点这里看明细 ›</Text>
      </View>
      {d.mine.length ? (
        <View className="card my-signups">
          <Text className="card-title">我的报名</Text>
          {d.mine.map((a) => (
            <ActivityItem key={a.id} a={a} />
          ))}
        </View>
      ) : null}
      <View className="card upcoming">
        <Text className="card-title">近期活动</Text>
        {d.upcoming.length === 0 ? (
          <Text className="muted">最近没有活动。可以先登记特长，有合适的活动社区会通知您。</Text>
        ) : (
          d.upcoming.map((a) => <ActivityItem key={a.id} a={a} />)
        )}
      </View>
      <View className="card stack">
        <View className="grid-links">
          <Button className="btn plain" onClick={() => go('/packages/volunteer/profile/index')}>
            志愿者登记 · 服务队
          </Button>
          <Button className="btn plain" onClick={() => go('/packages/volunteer/publicity/index')}>
            积分公示
          </Button>
          <Button className="btn plain" onClick={() => go('/packages/volunteer/record/index')}>
            我的服务记录
          </Button>
          <Button className="btn plain" onClick={() => go('/packages/volunteer/whistle/index')}>
            吹哨报到
          </Button>
          <Button className="btn plain mall-entry" onClick={() => go('/packages/mall/goods/index')}>
            积分超市
          </Button>
        </View>
        {organiser ? (
          <Button className="btn new-activity" onClick={() => go('/packages/volunteer/create/index')}>
            发布志愿活动
          </Button>
        ) : null}
        {caller && !organiser ? (
          <Button className="btn secondary" onClick={() => go('/packages/volunteer/whistle/index')}>
            吹哨
          </Button>
        ) : null}
      </View>
    </View>
  );
}

import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { useEffect, useState } from 'react';
import { View, Text, Button, Input, Switch } from '@tarojs/components';
import { askReason } from '@/lib/ask';
import { Page } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/StateView';
import { volunteerApi } from '@/api/volunteer';
import { usePageData } from '@/lib/pageData';
import { currentCommunity } from '@/lib/session';
import { runAction } from '@/lib/feedback';

const run = runAction;

export default function VolunteerProfilePage() {
  return (
    <Page>
      {({ me }) => {
        const c = currentCommunity(me);
        return c ? <Profile communityId={c.id} /> : <Empty text="认证为居民后可以登记为志愿者。" />;
      }}
    </Page>
  );
}

function Profile({ communityId }: { communityId: string }) {
  const [state, reload] = usePageData(() => volunteerApi.profile(communityId), [communityId]);
  const [skills, setSkills] = useState('');
  const [availability, setAvailability] = useState('');
  const [showName, setShowName] = useState(false);
  useEffect(() => {
    if (state.status !== 'ready') return;
    setSkills(state.data.skills.join('，'));
    setAvailability(state.data.availability);
    setShowName(state.data.showName);
  }, [state]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  const p = state.data;
  return (
    <View>
      <View className="card stack">
        <Text className="card-title">{p.registered ? '我的志愿者资料' : '登记为志愿者'}</Text>
        <View className="field">
          <View className="field-label">特长（用逗号隔开）</View>
          <Input
            className="input skills-input"
            value={skills}
            placeholder="如：理发，开车"
            {...named('特长，用逗号隔开，例如理发、开车、陪老人聊天')}
            onInput={(e) => setSkills(e.detail.value)}
          />
        </View>
        <View className="field">
          <View className="field-label">什么时候有空</View>
          <Input
            className="input"
            value={availability}
            placeholder="如：周末上午"
            {...named('什么时候有空')}
            onInput={(e) => setAvailability(e.detail.value)}
          />
        </View>
        <View className="field row">
          <View style={{ flex: 1 }}>
            <Text className="text">公示时显示我的名字</Text>
            <Text className="muted">不同意的话，积分公示和排行榜里只显示打码的名字。</Text>
          </View>
          <Switch checked={showName} color="#b83227" {...named('公示时显示我的名字')} onChange={(e) => setShowName(e.detail.value)} />
        </View>
        <Button
          className="btn register-volunteer"
          onClick={() =>
            void run(
              () =>
                volunteerApi.register({
                  communityId,
                  skills: skills
                    .split(/[，,、\s]+/)
                    .map((x) => x.trim())
                    .filter(Boolean),
                  availability: availability.trim(),
                  showName,
                }),
              '已保存',
              reload,
            )
          }
        >
          {p.registered ? '保存' : '登记'}
        </Button>
      </View>
      <View className="card stack">
        <Text className="card-title">服务队</Text>
        {p.teams.map((t) => (
          <View key={t.id} className="list-item">
            <Text className="text" style={{ fontWeight: 600 }}>
              {t.name}（{t.members} 人）
            </Text>
            <Text className="muted">
              {t.description}
              {t.leader ? ` · 队长 ${t.leader}` : ''}
            </Text>
            {t.myStatus === 'approved' ? (
              <Text className="tag ok">已加入</Text>
            ) : t.myStatus === 'pending' ? (
              <Text className="tag warn">等待队长审批</Text>
            ) : (
              <View>
                {t.myStatus === 'refused' ? <Text className="muted">上次未通过：{t.myReason}</Text> : null}
                <ActionButton className="btn plain" disabled={!p.registered} onClick={() => void run(() => volunteerApi.joinTeam(t.id), '已申请', reload)}>
                  {p.registered ? '申请加入' : '先登记再申请'}
                </ActionButton>
              </View>
            )}
            {(t.pending ?? []).map((m) => (
              <View key={m.profileId} className="row">
                <Text className="muted">
                  {m.name} 申请加入{m.skills?.length ? `（${m.skills.join('、')}）` : ''}
                </Text>
                <View className="btn-row">
                  <Button
                    className="btn plain"
                    onClick={async () => {
                      const reason = await askReason({ title: `不同意${m.name}加入的原因`, placeholder: '对方会看到，例如：本队暂时满员' });
                      if (reason) void run(() => volunteerApi.decideJoin(t.id, m.profileId, false, reason), '已处理', reload);
                    }}
                  >
                    不同意
                  </Button>
                  <Button className="btn" onClick={() => void run(() => volunteerApi.decideJoin(t.id, m.profileId, true), '已同意', reload)}>
                    同意
                  </Button>
                </View>
              </View>
            ))}
          </View>
        ))}
      </View>
    </View>
  );
}

import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button, Input } from '@tarojs/components';
import { Chips } from '../../components/Chips';
import { named } from '../../lib/a11y';
import { Page } from '../../components/Page';
import { Empty, ErrorState, ListFooter, Loading } from '../../components/StateView';
import { ServiceCentreCard } from '../../components/ServiceCentreCard';
import { hallApi } from '../../api/hall';
import { usePagedList } from '../../lib/pageData';
import { SERVICE_THEMES } from '@contracts/vocab';
import { currentCommunity, hasRole } from '../../lib/session';
import type { Me } from '../../api/core';

export default function HallPage() {
  return (
    <Page>
      {({ me }) => {
        const c = currentCommunity(me);
        return c && c.roles.length ? (
          <Hall me={me} communityId={c.id} />
        ) : (
          <View>
            <Empty
              text="认证为居民后可以网上办事。现在也可以到社区服务中心办理。"
              action="去认证"
              onAction={() => Taro.navigateTo({ url: '/packages/account/verify/index' })}
            />
            <ServiceCentreCard me={me} />
          </View>
        );
      }}
    </Page>
  );
}

function Hall({ me, communityId }: { me: Me; communityId: string }) {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [theme, setTheme] = useState('');
  const list = usePagedList((cursor) => hallApi.items(communityId, search || undefined, theme || undefined, cursor), [communityId, search, theme]);
  const { state, reload } = list;
  const go = (url: string) => Taro.navigateTo({ url });
  return (
    <View className="hall">
      <View className="card stack">
        <Input
          className="input hall-search"
          placeholder="如：居住证明"
          value={q}
          confirmType="search"
          maxlength={40}
          {...named('搜索办事事项，例如居住证明、低保、医保')}
          onInput={(e) => setQ(e.detail.value)}
          onConfirm={() => setSearch(q.trim())}
        />
        <Button className="btn hall-search-go" onClick={() => setSearch(q.trim())}>
          搜索
        </Button>
        <Chips
          label="事项分类"
          className="hall-themes"
          value={theme}
          onChange={setTheme}
          options={[{ key: '', label: '全部' }, ...SERVICE_THEMES.map((t) => ({ key: t as string, label: t }))]}
        />
        <View className="grid-links">
          <Button className="btn plain my-cases" onClick={() => go('/packages/hall/mine/index')}>
            我的办件 · 预约 · 帮办
          </Button>
          {hasRole(me, communityId, ['clerk', 'committee']) ? (
            <Button className="btn secondary hall-desk" onClick={() => go('/packages/hall/desk/index')}>
              窗口工作台
            </Button>
          ) : null}
        </View>
      </View>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState message={state.message} onRetry={() => void reload()} /> : null}
      {state.status === 'ready' && state.data.length === 0 ? <Empty text={`没有找到“${search || theme}”相关的事项。可以换个说法，或打社区电话问问。`} /> : null}
      {state.status === 'ready' && state.data.length ? (
        <View className="card">
          {state.data.map((i) => (
            <View key={i.id} className="list-item service-item" role="link" onClick={() => go(`/packages/hall/item/index?id=${i.id}`)}>
              <View>
                <Text className="tag">{i.theme}</Text>
                {i.online ? <Text className="tag ok">可网上办</Text> : null}
                {i.appointment ? <Text className="tag warn">可预约</Text> : null}
              </View>
              <Text className="text" style={{ fontWeight: 600 }}>
                {i.name}
              </Text>
              <Text className="muted">
                {i.department} · {i.timeLimitDays ? `${i.timeLimitDays} 个工作日` : '即办'} · {i.fee}
              </Text>
            </View>
          ))}
          <ListFooter hasMore={list.hasMore} loadingMore={list.loadingMore} moreError={list.moreError} onMore={() => void list.loadMore()} />
        </View>
      ) : null}
      <ServiceCentreCard me={me} />
    </View>
  );
}

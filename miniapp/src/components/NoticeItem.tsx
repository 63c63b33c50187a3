import Taro from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import type { NoticeSummary } from '../api/notices';
import { categoryLabel, formatDate } from '../lib/format';

export function NoticeItem({ n }: { n: NoticeSummary }) {
  return (
    <View className="list-item notice-item" role="link" onClick={() => Taro.navigateTo({ url: `/packages/notices/detail/index?id=${n.id}` })}>
      <View>
        {n.pinned ? <Text className="tag warn">置顶</Text> : null}
        <Text className={`tag ${n.category === 'emergency' ? 'bad' : ''}`}>{categoryLabel[n.category]}</Text>
        {n.corrected ? <Text className="tag">已更正</Text> : null}
        {!n.readByMe ? <Text className="tag ok">未读</Text> : null}
      </View>
      <Text className="text notice-title" style={{ fontWeight: 600 }}>
        {n.title}
      </Text>
      {/* The date of first publication, as the detail page says it ("发布于 …"); a correction is marked 已更正. */}
      <Text className="muted">
        发布于 {formatDate(n.publishedAt)}
        {n.excerpt ? ` · ${n.excerpt}` : ''}
      </Text>
    </View>
  );
}

export function EmergencyBanner({ n }: { n: NoticeSummary }) {
  return (
    <View className="banner alert emergency-banner" role="link" onClick={() => Taro.navigateTo({ url: `/packages/notices/detail/index?id=${n.id}` })}>
      <Text style={{ fontWeight: 700 }}>【应急】{n.title}</Text>
      <Text className="muted">点这里查看详情</Text>
    </View>
  );
}

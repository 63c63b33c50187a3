import Taro from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import type { ActivitySummary } from '../api/volunteer';
import { formatSpan } from '../lib/format';

export function ActivityItem({ a }: { a: ActivitySummary }) {
  const left = a.capacity - a.seatsTaken;
  const s = a.mySignup;
  return (
    <View className="list-item activity-item" role="link" onClick={() => Taro.navigateTo({ url: `/packages/volunteer/activity/index?id=${a.id}` })}>
      <View>
        {s?.status === 'confirmed' ? <Text className="tag ok">已报名</Text> : null}
        {s?.status === 'waitlisted' ? <Text className="tag warn">候补第 {s.waitlistPosition} 位</Text> : null}
        <Text className="tag">{a.pointsPerHour} 分/小时</Text>
      </View>
      <Text className="text" style={{ fontWeight: 600 }}>
        {a.title}
      </Text>
      <Text className="muted">
        {formatSpan(a.startsAt, a.endsAt)} · {a.place}
      </Text>
      <Text className="muted">{left > 0 ? `还剩 ${left} 个名额` : a.waitlist ? '已满，可候补' : '已满'}</Text>
    </View>
  );
}

import { currentCommunity } from '../lib/session';
import Taro from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import type { Me } from '../api/core';

/** Never a dead end: where to go and whom to call offline, for the person's own community. */
export function ServiceCentreCard({ me }: { me: Me }) {
  const c = currentCommunity(me);
  if (!c) {
    return (
      <View className="card stack">
        <Text className="card-title">线下办理</Text>
        <Text className="text">认证为居民后，这里会显示您所在社区服务中心的地址和电话。</Text>
      </View>
    );
  }
  return (
    <View className="card stack service-centre">
      <Text className="card-title">{c.name}服务中心</Text>
      <Text className="text">{c.serviceHours}</Text>
      {c.servicePhone ? (
        <Button className="btn secondary" onClick={() => Taro.makePhoneCall({ phoneNumber: c.servicePhone.replace(/\s/g, '') })}>
          拨打 {c.servicePhone}
        </Button>
      ) : null}
      {c.gridWorker ? (
        <Button className="btn plain" onClick={() => c.gridWorker?.phone && Taro.makePhoneCall({ phoneNumber: c.gridWorker.phone })}>
          给网格员{c.gridWorker.name}打电话
        </Button>
      ) : null}
    </View>
  );
}

import { View, Text } from '@tarojs/components';
import { Page } from '../../components/Page';
import { ServiceCentreCard } from '../../components/ServiceCentreCard';

// Until this domain's pages land, the tab tells residents plainly where to go offline instead.
export default function VolunteerPage() {
  return (
    <Page>
      {({ me }) => (
        <View>
          <View className="card stack">
            <Text className="card-title">志愿服务</Text>
            <Text className="text">志愿活动报名、现场签到和积分正在接入，很快可以在这里报名参加活动、查看自己的积分。</Text>
            <Text className="muted">现在请到社区服务中心办理，或给我们打电话：</Text>
          </View>
          <ServiceCentreCard me={me} />
        </View>
      )}
    </Page>
  );
}

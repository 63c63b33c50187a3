import { View, Text } from '@tarojs/components';
import { Page } from '../../components/Page';
import { ServiceCentreCard } from '../../components/ServiceCentreCard';

// Until this domain's pages land, the tab tells residents plainly where to go offline instead.
export default function HallPage() {
  return (
    <Page>
      {({ me }) => (
        <View>
          <View className="card stack">
            <Text className="card-title">办事大厅</Text>
            <Text className="text">网上办事正在接入：社保、医保、养老、证明开具等事项，很快可以在这里查看要带的材料、网上申请或预约。</Text>
            <Text className="muted">现在请到社区服务中心办理，或给我们打电话：</Text>
          </View>
          <ServiceCentreCard me={me} />
        </View>
      )}
    </Page>
  );
}

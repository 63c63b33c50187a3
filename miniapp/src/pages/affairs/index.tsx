import { View, Text } from '@tarojs/components';
import { Page } from '../../components/Page';
import { ServiceCentreCard } from '../../components/ServiceCentreCard';

// Until this domain's pages land, the tab tells residents plainly where to go offline instead.
export default function AffairsPage() {
  return (
    <Page>
      {({ me }) => (
        <View>
          <View className="card stack">
            <Text className="card-title">议事协商</Text>
            <Text className="text">议题征集、联名、居民代表会议和民意调查正在接入，很快可以在这里参与社区和村里的大事小事。</Text>
            <Text className="muted">现在请到社区服务中心办理，或给我们打电话：</Text>
          </View>
          <ServiceCentreCard me={me} />
        </View>
      )}
    </Page>
  );
}

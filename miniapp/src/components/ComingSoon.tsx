import { View, Text } from '@tarojs/components';
import { Page } from './Page';
import { ServiceCentreCard } from './ServiceCentreCard';

/** A tab whose online service has not landed yet: say so plainly and point to the offline channel. */
export function ComingSoon({ title, lead }: { title: string; lead: string }) {
  return (
    <Page>
      {({ me }) => (
        <View>
          <View className="card stack">
            <Text className="card-title">{title}</Text>
            <Text className="text">{lead}</Text>
            <Text className="muted">现在请到社区服务中心办理，或给我们打电话：</Text>
          </View>
          <ServiceCentreCard me={me} />
        </View>
      )}
    </Page>
  );
}

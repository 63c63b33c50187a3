import { ComingSoon } from '../../components/ComingSoon';

export default function AffairsPage() {
  return <ComingSoon title="议事协商" lead="议题征集、联名、居民代表会议和民意调查正在接入，很快可以在这里参与社区和村里的大事小事。" />;
}

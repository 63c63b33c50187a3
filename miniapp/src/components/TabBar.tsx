import Taro from '@tarojs/taro';
import { View, Text, Image } from '@tarojs/components';
import { useElderMode } from '../lib/elder';
import { TAB_PAGES } from '../lib/tabs';
import { toast } from '../lib/feedback';
import homeIcon from '../assets/tab/home.png';
import homeActive from '../assets/tab/home-active.png';
import hallIcon from '../assets/tab/hall.png';
import hallActive from '../assets/tab/hall-active.png';
import affairsIcon from '../assets/tab/affairs.png';
import affairsActive from '../assets/tab/affairs-active.png';
import volunteerIcon from '../assets/tab/volunteer.png';
import volunteerActive from '../assets/tab/volunteer-active.png';
import meIcon from '../assets/tab/me.png';
import meActive from '../assets/tab/me-active.png';

const ICONS = [
  [homeIcon, homeActive],
  [hallIcon, hallActive],
  [affairsIcon, affairsActive],
  [volunteerIcon, volunteerActive],
  [meIcon, meActive],
];

/**
 * The tab bar, drawn by us in both modes (WeChat's native one cannot be enlarged for 长辈版): in WeChat it is the
 * custom-tab-bar component, in the H5 build the Page frame draws it under each tab page. In 长辈版 labels are
 * ≥ 18 px and the bar ≥ 60 px tall. The highlighted tab is the page it belongs to, so a tab that failed to
 * open (offline) never leaves the old page under the new tab's highlight.
 */
export function TabBar({ selected }: { selected: number }) {
  const elder = useElderMode();
  return (
    <View className={`custom-tab-bar ${elder ? 'elder' : ''}`} role="tablist" aria-label="主菜单">
      {TAB_PAGES.map((t, i) => (
        <View
          key={t.path}
          className={`tab-bar-item tab-bar-${i} ${i === selected ? 'active' : ''}`}
          role="tab"
          aria-selected={i === selected}
          onClick={() => {
            if (i === selected) return;
            Taro.switchTab({ url: `/${t.path}` }).catch(() => toast('没有打开，请检查网络后再试'));
          }}
        >
          <Image className="tab-bar-icon" src={ICONS[i][i === selected ? 1 : 0]} aria-hidden="true" />
          <Text className="tab-bar-label">{t.text}</Text>
        </View>
      ))}
    </View>
  );
}

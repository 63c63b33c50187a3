import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { TabBar } from '../components/TabBar';
import { activeTab } from '../lib/tabs';

/**
 * WeChat's custom tab bar (app.config tabBar.custom = true). WeChat makes one instance per tab page; each
 * shows the tab of the page now on top, which the Page frame publishes when a tab page shows.
 */
export default function CustomTabBar() {
  const selected = activeTab.use();
  const [initial] = useState(() => {
    const pages = Taro.getCurrentPages();
    return pages.length ? pages[pages.length - 1].route : '';
  });
  useEffect(() => {
    if (initial) activeTab.setRoute(initial);
  }, [initial]);
  return <TabBar selected={selected} />;
}

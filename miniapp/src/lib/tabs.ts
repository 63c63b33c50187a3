import { createStore } from './store';

/**
 * The five tab pages, for the custom tab bar (WeChat's native tab bar cannot grow for 长辈版, so both modes
 * draw this one). app.config.ts lists the same pages in the same order; WeChat needs them there too.
 */
export const TAB_PAGES = [
  { path: 'pages/home/index', text: '首页' },
  { path: 'pages/hall/index', text: '办事' },
  { path: 'pages/affairs/index', text: '议事' },
  { path: 'pages/volunteer/index', text: '志愿' },
  { path: 'pages/me/index', text: '我的' },
] as const;

/** The tab index of a route ('/pages/me/index?x=1' → 4), or -1 for a page that is not a tab. */
export function tabIndexOf(route: string | undefined | null): number {
  const clean = (route ?? '').replace(/^\//, '').split('?')[0];
  return TAB_PAGES.findIndex((t) => t.path === clean);
}

const active = createStore<number>(0);
/** The tab of the page on top (for WeChat's custom tab bar, whose instances live outside the pages). */
export const activeTab = {
  use: () => active.use(),
  setRoute(route: string | undefined | null) {
    const i = tabIndexOf(route);
    if (i >= 0 && i !== active.get()) active.set(i);
  },
};

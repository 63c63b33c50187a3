// Tab pages live in the main package; every other page sits in its domain's subpackage,
// so the main package stays small (budget 400 KB, checked by the tests).
export default defineAppConfig({
  pages: ['pages/home/index', 'pages/hall/index', 'pages/affairs/index', 'pages/volunteer/index', 'pages/me/index'],
  subPackages: [
    { root: 'packages/account', pages: ['login/index', 'verify/index', 'privacy/index', 'mydata/index', 'delete/index', 'access-log/index'] },
    { root: 'packages/public', pages: ['chain/index'] },
    { root: 'packages/staff', pages: ['verifications/index'] },
    {
      root: 'packages/volunteer',
      pages: ['activity/index', 'organize/index', 'create/index', 'points/index', 'publicity/index', 'profile/index', 'whistle/index', 'record/index'],
    },
    { root: 'packages/affairs', pages: ['topic/index', 'raise/index', 'poll/index', 'new-poll/index'] },
    { root: 'packages/hall', pages: ['item/index', 'apply/index', 'mine/index', 'case/index', 'book/index', 'desk/index'] },
    { root: 'packages/mall', pages: ['goods/index', 'mine/index', 'handover/index', 'manage/index', 'report/index'] },
    { root: 'packages/notices', pages: ['list/index', 'detail/index', 'compose/index', 'manage/index', 'stats/index', 'poster/index'] },
    {
      root: 'packages/admin',
      pages: ['index/index', 'community/index', 'import/index', 'staff/index', 'residents/index', 'dashboard/index', 'departments/index'],
    },
    {
      root: 'packages/grid',
      pages: [
        'new/index',
        'report/index',
        'mine/index',
        'desk/index',
        'visits/index',
        'logs/index',
        'disputes/index',
        'dispute/index',
        'figures/index',
        'calls/index',
      ],
    },
  ],
  window: {
    navigationBarBackgroundColor: '#b83227',
    navigationBarTitleText: '村居通',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f3ef',
    backgroundTextStyle: 'dark',
  },
  // Our own tab bar (src/custom-tab-bar, the same component the H5 Page frame draws): WeChat's native tab bar
  // cannot be enlarged for 长辈版. WeChat still needs the full list to know which pages are tabs; the icons
  // are the custom bar's own (no copies in the main package).
  tabBar: {
    custom: true,
    color: '#5b5b5b',
    selectedColor: '#b83227',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/home/index', text: '首页' },
      { pagePath: 'pages/hall/index', text: '办事' },
      { pagePath: 'pages/affairs/index', text: '议事' },
      { pagePath: 'pages/volunteer/index', text: '志愿' },
      { pagePath: 'pages/me/index', text: '我的' },
    ],
  },
  // 随手拍 can place a report on the map; WeChat requires the location APIs to be declared here (and in the privacy guide).
  requiredPrivateInfos: ['chooseLocation'],
  // WeChat shows its own privacy prompt flow through wx.onNeedPrivacyAuthorization.
  __usePrivacyCheck__: true,
  lazyCodeLoading: 'requiredComponents',
});

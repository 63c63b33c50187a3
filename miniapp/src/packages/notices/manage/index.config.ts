export default definePageConfig({ navigationBarTitleText: '公告工作台', enablePullDownRefresh: true });

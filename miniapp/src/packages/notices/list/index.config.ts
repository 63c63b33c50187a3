export default definePageConfig({ navigationBarTitleText: '公告公开', enablePullDownRefresh: true });

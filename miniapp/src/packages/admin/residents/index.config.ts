export default definePageConfig({ navigationBarTitleText: '居民', enablePullDownRefresh: true });

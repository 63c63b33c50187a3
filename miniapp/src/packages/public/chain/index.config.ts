export default definePageConfig({ navigationBarTitleText: '公开记录链', enablePullDownRefresh: true });

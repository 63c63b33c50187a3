export default definePageConfig({ navigationBarTitleText: '民情日志', enablePullDownRefresh: true });

export default definePageConfig({ navigationBarTitleText: '村居通', enablePullDownRefresh: true });

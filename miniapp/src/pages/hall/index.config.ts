export default definePageConfig({ navigationBarTitleText: '办事大厅', enablePullDownRefresh: true });

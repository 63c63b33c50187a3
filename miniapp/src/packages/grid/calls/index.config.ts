export default definePageConfig({ navigationBarTitleText: '部门报到', enablePullDownRefresh: true });

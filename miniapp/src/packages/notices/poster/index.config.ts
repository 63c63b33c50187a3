export default definePageConfig({ navigationBarTitleText: '公告栏海报' });

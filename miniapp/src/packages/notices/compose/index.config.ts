export default definePageConfig({ navigationBarTitleText: '写公告' });

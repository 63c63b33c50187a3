export default definePageConfig({ navigationBarTitleText: '看板' });

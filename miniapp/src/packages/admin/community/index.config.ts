export default definePageConfig({ navigationBarTitleText: '网格和楼栋' });

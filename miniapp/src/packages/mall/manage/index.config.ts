export default definePageConfig({ navigationBarTitleText: '商品与台账' });

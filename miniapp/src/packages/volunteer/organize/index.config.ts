export default definePageConfig({ navigationBarTitleText: '签到与出勤', keepScreenOn: true } as Record<string, unknown>);

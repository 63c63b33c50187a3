import Taro from '@tarojs/taro';
import { createStore } from './store';

/**
 * 长辈版 (elder mode): larger type, bigger buttons, a simpler home. The resident's own choice wins;
 * until they choose, a WeChat font size above standard (17px; 关怀模式 is 23.8px) turns it on.
 */
const KEY = 'cunju.elder';
const elder = createStore<boolean>(false);

export function initElderMode(): void {
  const saved = Taro.getStorageSync<'on' | 'off' | ''>(KEY);
  if (saved === 'on' || saved === 'off') {
    elder.set(saved === 'on');
    return;
  }
  elder.set(wechatFontSize() >= 20);
}

function wechatFontSize(): number {
  try {
    const info = (Taro as unknown as { getAppBaseInfo?: () => { fontSizeSetting?: number } }).getAppBaseInfo?.();
    return info?.fontSizeSetting ?? 17;
  } catch {
    return 17;
  }
}

export function setElderMode(on: boolean): void {
  Taro.setStorageSync(KEY, on ? 'on' : 'off');
  elder.set(on);
}

export const useElderMode = () => elder.use();

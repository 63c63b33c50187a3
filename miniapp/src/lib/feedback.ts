import Taro from '@tarojs/taro';
import { ApiError } from '../api/client';

/** A short message at the bottom of the screen; long enough to read for an older resident. */
export const toast = (title: string) => void Taro.showToast({ title, icon: 'none', duration: 2500 });

/** What to tell the resident when something failed: the server's Chinese message, field-level first. */
export function errorMessage(e: unknown, fallback = '操作失败，请稍后再试'): string {
  return e instanceof ApiError ? (Object.values(e.fields)[0] ?? e.message) : fallback;
}

/** Runs an action, says what happened, and refreshes the page; never fails silently. */
export async function runAction<T>(fn: () => Promise<T>, done: string | ((result: T) => string), after?: () => Promise<void>): Promise<boolean> {
  try {
    const result = await fn();
    toast(typeof done === 'function' ? done(result) : done);
    await after?.();
    return true;
  } catch (e) {
    toast(errorMessage(e));
    return false;
  }
}

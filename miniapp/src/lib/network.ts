import Taro from '@tarojs/taro';
import { createStore } from './store';

/**
 * Whether the phone is online, and whether what a page shows is older than the resident may think: a refresh
 * that failed for want of network keeps the last answer on screen (honest: the banner says so) instead of
 * blanking the page. The Page frame shows one banner for both.
 */
export const online = createStore<boolean>(true);
/** Set when a refresh failed for want of network and the page kept showing its last answer. */
export const staleSince = createStore<number | null>(null);

let started = false;
export function watchNetwork(): void {
  if (started) return;
  started = true;
  const set = (type: string | undefined, connected?: boolean) => {
    const on = connected ?? type !== 'none';
    online.set(on);
  };
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') {
    // Browsers report connectivity through online/offline events, which Taro's H5 network API does not read.
    online.set(window.navigator.onLine);
    window.addEventListener('online', () => {
      online.set(true);
      staleSince.set(null);
    });
    window.addEventListener('offline', () => online.set(false));
    return;
  }
  try {
    Taro.getNetworkType({ success: (r) => set(r.networkType) }).catch(() => undefined);
    Taro.onNetworkStatusChange((r) => {
      set(r.networkType, r.isConnected);
      if (r.isConnected) staleSince.set(null);
    });
  } catch {
    // a platform without the network API: assume online
  }
}

/** Marks the data on screen as not refreshed (a reload failed with a network error). */
export function markStale(): void {
  if (staleSince.get() == null) staleSince.set(Date.now());
}
export function markFresh(): void {
  if (staleSince.get() != null) staleSince.set(null);
}

import { createStore } from './store';

/**
 * WeChat's privacy API: when the mini-program calls an API WeChat protects (phone calls, photos,
 * location…) before the user agreed in WeChat, WeChat asks us to show our notice and report the answer.
 */
type Resolve = (r: { event: 'agree' | 'disagree'; buttonId?: string }) => void;
const pending = createStore<Resolve | null>(null);
export const useWechatPrivacyRequest = () => pending.use();

export function listenForWechatPrivacyRequests(): void {
  if (process.env.TARO_ENV !== 'weapp') return;
  const wxApi = (globalThis as unknown as { wx?: { onNeedPrivacyAuthorization?: (cb: (resolve: Resolve) => void) => void } }).wx;
  wxApi?.onNeedPrivacyAuthorization?.((resolve) => pending.set(resolve));
}

export function answerWechatPrivacyRequest(agreed: boolean): void {
  const resolve = pending.get();
  if (!resolve) return;
  resolve(agreed ? { event: 'agree', buttonId: 'agree-privacy' } : { event: 'disagree' });
  pending.set(null);
}

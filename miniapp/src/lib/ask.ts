import Taro from '@tarojs/taro';
import { createStore } from './store';

/**
 * The one way to ask a person something: a confirmation, or a reason in their own words (a refusal, a
 * send-back, hiding a comment). In WeChat both are the platform's own dialog (showModal, with `editable`
 * for text); the H5 build has no editable showModal, so the Page frame draws the same dialog itself.
 * A reason that is too short is asked again, never replaced by made-up text.
 */
export interface ReasonRequest {
  title: string;
  placeholder: string;
  minLength: number;
  confirmText: string;
  resolve: (value: string | null) => void;
}

export const reasonRequest = createStore<ReasonRequest | null>(null);

export async function askReason(opts: { title: string; placeholder?: string; minLength?: number; confirmText?: string }): Promise<string | null> {
  const minLength = opts.minLength ?? 2;
  const placeholder = opts.placeholder ?? `请写明原因（至少 ${minLength} 个字）`;
  const confirmText = opts.confirmText ?? '确定';
  if (process.env.TARO_ENV === 'weapp') {
    for (;;) {
      const r = (await Taro.showModal({
        title: opts.title,
        content: '',
        editable: true,
        placeholderText: placeholder,
        confirmText,
      } as Taro.showModal.Option)) as Taro.showModal.SuccessCallbackResult & { content?: string };
      if (!r.confirm) return null;
      const text = (r.content ?? '').trim();
      if (text.length >= minLength) return text;
      await Taro.showModal({ title: '请再写详细一点', content: `至少写 ${minLength} 个字，对方会看到这段话。`, showCancel: false, confirmText: '好的' });
    }
  }
  return new Promise((resolve) => {
    reasonRequest.set({
      title: opts.title,
      placeholder,
      minLength,
      confirmText,
      resolve: (v) => {
        reasonRequest.set(null);
        resolve(v);
      },
    });
  });
}

/** A yes/no question before something that cannot be undone. */
export async function confirm(opts: { title: string; content: string; confirmText?: string; cancelText?: string }): Promise<boolean> {
  // The colours WeChat uses by default; the H5 twin's default green on white (2.4:1) would be hard to read.
  const r = await Taro.showModal({
    title: opts.title,
    content: opts.content,
    confirmText: opts.confirmText ?? '确定',
    cancelText: opts.cancelText ?? '取消',
    confirmColor: '#b83227',
    cancelColor: '#1f1f1f',
  });
  return r.confirm;
}

import Taro from '@tarojs/taro';

/**
 * 读给我听: text read aloud. In the browser (H5) the built-in speech synthesis, where the browser has a voice;
 * in WeChat only through the 同声传译 (WechatSI) plugin when the app has it configured (app.json "plugins").
 * Where neither exists, canSpeak() is false and the button is not shown at all.
 */
interface Speaker {
  speak(text: string, onEnd: () => void): void;
  stop(): void;
}

type WechatSI = { textToSpeech(o: { lang: string; content: string; success: (r: { filename: string }) => void; fail: () => void }): void };

declare const requirePlugin: ((name: string) => unknown) | undefined;

let speaker: Speaker | null | undefined;

function browserSpeaker(): Speaker | null {
  if (typeof window === 'undefined' || !('speechSynthesis' in window) || typeof window.SpeechSynthesisUtterance !== 'function') return null;
  const synth = window.speechSynthesis;
  return {
    speak(text, onEnd) {
      synth.cancel();
      const u = new window.SpeechSynthesisUtterance(text);
      u.lang = 'zh-CN';
      u.rate = 0.9; // a little slower than default, for older listeners
      u.onend = onEnd;
      u.onerror = onEnd;
      synth.speak(u);
    },
    stop: () => synth.cancel(),
  };
}

function wechatSpeaker(): Speaker | null {
  let plugin: WechatSI | null = null;
  try {
    // requirePlugin is a free function of WeChat's module scope (like getApp), not a property of globalThis.
    plugin = typeof requirePlugin === 'function' ? (requirePlugin('WechatSI') as WechatSI) : null;
  } catch {
    plugin = null; // not configured for this app
  }
  if (!plugin?.textToSpeech) return null;
  const audio = Taro.createInnerAudioContext();
  return {
    speak(text, onEnd) {
      audio.stop();
      plugin!.textToSpeech({
        lang: 'zh_CN',
        content: text.slice(0, 1000), // the plugin reads at most about 1,000 characters at a time
        success: (r) => {
          audio.src = r.filename;
          audio.onEnded(onEnd);
          audio.onError(onEnd);
          audio.play();
        },
        fail: onEnd,
      });
    },
    stop: () => audio.stop(),
  };
}

function get(): Speaker | null {
  if (speaker === undefined) speaker = process.env.TARO_ENV === 'h5' ? browserSpeaker() : process.env.TARO_ENV === 'weapp' ? wechatSpeaker() : null;
  return speaker;
}

export const canSpeak = () => get() !== null;
export const speak = (text: string, onEnd: () => void) => get()?.speak(text, onEnd);
export const stopSpeaking = () => get()?.stop();

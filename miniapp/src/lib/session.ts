import Taro from '@tarojs/taro';
import { ApiError, getToken, onSignedOut, setToken } from '../api/client';
import { coreApi, type Me } from '../api/core';
import { createStore } from './store';

/**
 * Who is signed in. weapp signs in silently with wx.login; the H5 build (demo and tests) signs in by
 * choosing a demo persona on the login page.
 */
export type Session = { status: 'idle' | 'loading' } | { status: 'signed_out' } | { status: 'ready'; me: Me } | { status: 'error'; error: ApiError };

const session = createStore<Session>({ status: 'idle' });
export const useSessionState = () => session.use();

let inflight: Promise<void> | null = null;

export function ensureSession(force = false): Promise<void> {
  const s = session.get();
  if (!force && (s.status === 'ready' || s.status === 'signed_out')) return Promise.resolve();
  if (inflight) return inflight;
  const run = (async () => {
    session.set({ status: 'loading' });
    try {
      if (!getToken()) {
        if (process.env.TARO_ENV === 'weapp') {
          const { code } = await Taro.login();
          const auth = await coreApi.wechatLogin(code);
          setToken(auth.token);
        } else {
          session.set({ status: 'signed_out' });
          return;
        }
      }
      const me = await coreApi.me();
      rememberCommunity(me);
      session.set({ status: 'ready', me });
    } catch (err) {
      if (session.get().status === 'signed_out') return;
      session.set({ status: 'error', error: err instanceof ApiError ? err : new ApiError('network', '网络不太好，请稍后再试', 0) });
    }
  })();
  // Cleared after assignment: the body above may finish synchronously (no token on H5).
  const tracked = run.finally(() => {
    inflight = null;
  });
  inflight = tracked;
  return tracked;
}

export async function refreshMe(): Promise<void> {
  session.set({ status: 'ready', me: await coreApi.me() });
}

export async function signInAsPersona(persona: string): Promise<void> {
  const auth = await coreApi.devLogin(persona);
  setToken(auth.token);
  await ensureSession(true);
}

export function signOut(): void {
  setToken('');
  session.set({ status: process.env.TARO_ENV === 'weapp' ? 'idle' : 'signed_out' });
}

onSignedOut(() => session.set({ status: process.env.TARO_ENV === 'weapp' ? 'idle' : 'signed_out' }));

export function needsPrivacyConsent(me: Me): boolean {
  const c = me.consents.privacy_policy;
  return !c || !c.granted || c.version !== me.privacyPolicyVersion;
}

const CHOSEN_KEY = 'cunju.community';

/**
 * The community the app acts in: the one the person chose (someone in two communities switches on 我的),
 * else the first they belong to.
 */
export function currentCommunity(me: Me) {
  const chosen = (Taro.getStorageSync(CHOSEN_KEY) as string | undefined) || '';
  return me.communities.find((c) => c.id === chosen) ?? me.communities[0] ?? null;
}

/**
 * The community the app last acted in, known before /api/me answers (so the home page can ask for its notices
 * at the same time as it asks who is signed in). Empty on a first start.
 */
export function rememberedCommunityId(): string {
  return (Taro.getStorageSync(CHOSEN_KEY) as string | undefined) || '';
}

function rememberCommunity(me: Me): void {
  const c = currentCommunity(me);
  if (c && rememberedCommunityId() !== c.id) Taro.setStorageSync(CHOSEN_KEY, c.id);
}

/** Switch the community every page acts in; pages re-render with it. */
export function chooseCommunity(id: string): void {
  Taro.setStorageSync(CHOSEN_KEY, id);
  const s = session.get();
  if (s.status === 'ready') session.set({ status: 'ready', me: { ...s.me } });
}

export function hasRole(me: Me, communityId: string, roles: string[]): boolean {
  const c = me.communities.find((x) => x.id === communityId);
  return Boolean(c && c.roles.some((r) => roles.includes(r)));
}

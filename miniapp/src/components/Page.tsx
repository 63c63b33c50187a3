import { type ReactNode, useEffect, useState } from 'react';
import Taro, { useDidHide, useDidShow } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useElderMode } from '../lib/elder';
import { ensureSession, needsPrivacyConsent, useSessionState, type Session } from '../lib/session';
import { PrivacyDialog } from './PrivacyDialog';
import { useWechatPrivacyRequest } from '../lib/privacy';
import { ErrorState, Loading } from './StateView';
import { ReasonDialog } from './ReasonDialog';

/**
 * Every page's frame: elder-mode type scale, sign-in, the privacy dialog, and the session's loading and
 * error states. `children` renders only once the person is signed in.
 */
export function Page({ children, requireSession = true }: { children: (s: Extract<Session, { status: 'ready' }>) => ReactNode; requireSession?: boolean } | { children: ReactNode; requireSession: false }) {
  const elder = useElderMode();
  const s = useSessionState();
  const wechatAsks = useWechatPrivacyRequest();

  useEffect(() => {
    if (requireSession) void ensureSession();
  }, [requireSession]);

  // Pages stay mounted under the one on top; only the visible page shows the privacy dialog.
  const [visible, setVisible] = useState(true);
  useDidShow(() => {
    setVisible(true);
    if (requireSession) void ensureSession();
  });
  useDidHide(() => setVisible(false));

  useEffect(() => {
    if (requireSession && s.status === 'signed_out') {
      Taro.navigateTo({ url: '/packages/account/login/index' }).catch(() => Taro.reLaunch({ url: '/packages/account/login/index' }));
    }
  }, [requireSession, s.status]);

  let body: ReactNode;
  if (!requireSession) body = children as ReactNode;
  else if (s.status === 'ready') {
    body = (
      <>
        {(children as (s: Extract<Session, { status: 'ready' }>) => ReactNode)(s)}
        {visible && (needsPrivacyConsent(s.me) || wechatAsks) ? <PrivacyDialog version={s.me.privacyPolicyVersion} /> : null}
      </>
    );
  } else if (s.status === 'error') body = <ErrorState message={s.error.message} onRetry={() => void ensureSession(true)} />;
  else if (s.status === 'signed_out') body = <Loading text="请先登录…" />;
  else body = <Loading />;

  return (
    <View className={elder ? 'page elder' : 'page'}>
      {body}
      {visible && process.env.TARO_ENV !== 'weapp' ? <ReasonDialog /> : null}
    </View>
  );
}

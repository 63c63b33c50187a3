import { type ReactNode, useEffect, useRef, useState } from 'react';
import Taro, { useDidHide, useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { useElderMode } from '../lib/elder';
import { ensureSession, needsPrivacyConsent, useSessionState, type Session } from '../lib/session';
import { PrivacyDialog } from './PrivacyDialog';
import { useWechatPrivacyRequest } from '../lib/privacy';
import { ErrorState, Loading } from './StateView';
import { ReasonDialog } from './ReasonDialog';
import { TabBar } from './TabBar';
import { activeTab, tabIndexOf } from '../lib/tabs';
import { online, staleSince, watchNetwork } from '../lib/network';

const isH5 = process.env.TARO_ENV === 'h5';

/**
 * Every page's frame: elder-mode type scale, sign-in, the privacy dialog, and the session's loading and
 * error states. `children` renders only once the person is signed in.
 * In the H5 build it also draws what WeChat would: the tab bar under tab pages and a back control on the
 * others (the browser build has no navigation bar). In both it says when the phone is offline.
 */
export function Page({
  children,
  requireSession = true,
  back = true,
}:
  | { children: (s: Extract<Session, { status: 'ready' }>) => ReactNode; requireSession?: boolean; back?: boolean }
  | { children: ReactNode; requireSession: false; back?: boolean }) {
  const elder = useElderMode();
  const s = useSessionState();
  const wechatAsks = useWechatPrivacyRequest();
  const router = useRouter();
  const tab = tabIndexOf(router.path);

  useEffect(() => {
    watchNetwork();
    if (requireSession) void ensureSession();
  }, [requireSession]);

  // Pages stay mounted under the one on top; only the visible page shows the privacy dialog.
  const [visible, setVisible] = useState(true);
  useDidShow(() => {
    setVisible(true);
    if (tab >= 0) activeTab.setRoute(router.path);
    if (requireSession) void ensureSession();
  });
  useDidHide(() => setVisible(false));

  // H5: the page's scroll container is Taro's own element; make it reachable by keyboard (axe
  // scrollable-region-focusable), so a keyboard or switch user can scroll a page without buttons.
  const root = useRef<unknown>(null);
  useEffect(() => {
    if (!isH5) return;
    const el = root.current as {
      closest?: (s: string) => { setAttribute: (k: string, v: string) => void; hasAttribute: (k: string) => boolean } | null;
    } | null;
    const scroller = el?.closest?.('.taro_page');
    if (scroller && !scroller.hasAttribute('tabindex')) {
      scroller.setAttribute('tabindex', '0');
      scroller.setAttribute('role', 'main');
    }
  }, []);

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
    <View ref={root} className={`page ${elder ? 'elder' : ''} ${tab >= 0 ? 'has-tab-bar' : ''}`}>
      {isH5 && tab < 0 && back ? <BackBar /> : null}
      <NetworkBanner />
      {body}
      {visible && isH5 ? <ReasonDialog /> : null}
      {isH5 && tab >= 0 ? <TabBar selected={tab} /> : null}
    </View>
  );
}

/** H5 only: back to the previous page, or to the home page when the page was opened from a link. */
function BackBar() {
  const hasHistory = Taro.getCurrentPages().length > 1;
  return (
    <View className="back-bar no-print">
      <Button
        className="btn plain back-button"
        aria-label={hasHistory ? '返回上一页' : '回到首页'}
        onClick={() => (hasHistory ? Taro.navigateBack() : Taro.switchTab({ url: '/pages/home/index' }))}
      >
        {hasHistory ? '‹ 返回' : '‹ 首页'}
      </Button>
    </View>
  );
}

/** Offline, or a refresh that failed for want of network: say so, and that what is shown may be old. */
function NetworkBanner() {
  const on = online.use();
  const stale = staleSince.use();
  if (on && stale == null) return null;
  return (
    <View className="banner info network-banner" role="status">
      <Text>{on ? '刚才没能刷新，网络不太好。' : '现在没有网络。'}页面上是之前加载的内容，可能不是最新的；有网络后下拉刷新。</Text>
    </View>
  );
}

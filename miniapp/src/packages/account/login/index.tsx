import { ActionButton } from '@/components/ActionButton';
import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { Page } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/StateView';
import { coreApi, type DevPersona } from '@/api/core';
import { ApiError } from '@/api/client';
import { ensureSession, signInAsPersona } from '@/lib/session';
import { roleLabel } from '@/lib/format';

/**
 * Sign-in. In WeChat this happens silently (wx.login); this page is for the browser build, where the demo
 * personas stand in for WeChat accounts, and for a weapp sign-in that failed.
 */
export default function LoginPage() {
  return <Page requireSession={false}>{process.env.TARO_ENV === 'weapp' ? <WechatRetry /> : <PersonaPicker />}</Page>;
}

function WechatRetry() {
  const [error, setError] = useState('');
  async function retry() {
    setError('');
    await ensureSession(true);
    Taro.switchTab({ url: '/pages/home/index' }).catch(() => setError('登录没有成功，请检查网络后再试'));
  }
  return (
    <View className="card stack">
      <Text className="card-title">微信登录</Text>
      <Text className="text">点下面的按钮，用微信身份登录村居通。</Text>
      {error ? <Text className="field-error">{error}</Text> : null}
      <Button className="btn" onClick={retry}>
        微信一键登录
      </Button>
    </View>
  );
}

function PersonaPicker() {
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; personas: DevPersona[] }>({
    status: 'loading',
  });
  const [busy, setBusy] = useState('');

  const load = () => {
    setState({ status: 'loading' });
    coreApi
      .devPersonas()
      .then((r) => setState({ status: 'ready', personas: r.personas }))
      .catch((err) =>
        setState({
          status: 'error',
          message: err instanceof ApiError && err.status === 404 ? '演示登录未开启。请在微信中打开村居通小程序。' : (err as Error).message,
        }),
      );
  };
  useEffect(load, []);

  async function choose(p: DevPersona) {
    setBusy(p.persona);
    try {
      await signInAsPersona(p.persona);
      await Taro.switchTab({ url: '/pages/me/index' });
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '登录失败', icon: 'none' });
    } finally {
      setBusy('');
    }
  }

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={load} />;
  if (state.personas.length === 0) return <Empty text="还没有演示身份，请先运行 npm start 导入演示数据。" />;
  return (
    <View>
      <View className="card stack">
        <Text className="card-title">选择演示身份</Text>
        <Text className="muted">浏览器版用于演示和测试：选一个身份登录，相当于用这个人的微信打开小程序。</Text>
      </View>
      <View className="card">
        {state.personas.map((p) => (
          <View key={p.persona} className="list-item row persona" data-persona={p.persona}>
            <View className="persona-info">
              <Text className="text">{p.name}</Text>
              <View>
                <Text className="muted">
                  {p.community ?? ''} {p.roles.map((r) => roleLabel[r] ?? r).join('、')}
                </Text>
              </View>
            </View>
            <ActionButton
              className="btn persona-login"
              id={`persona-${p.persona}`}
              loading={busy === p.persona}
              disabled={Boolean(busy)}
              onClick={() => choose(p)}
            >
              登录
            </ActionButton>
          </View>
        ))}
      </View>
    </View>
  );
}

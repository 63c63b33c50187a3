import { ActionButton } from './ActionButton';
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { coreApi } from '../api/core';
import { refreshMe, signOut } from '../lib/session';
import { ApiError } from '../api/client';
import { answerWechatPrivacyRequest } from '../lib/privacy';

/**
 * First-launch privacy notice. On weapp the 同意 button is WeChat's agreePrivacyAuthorization button,
 * so WeChat records the consent too; on both builds our API records what was agreed, when, and the version.
 */
export function PrivacyDialog({ version }: { version: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function agree() {
    setBusy(true);
    setError('');
    try {
      await coreApi.recordConsent('privacy_policy', version, true);
      answerWechatPrivacyRequest(true);
      await refreshMe();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : '没有保存成功，请再试一次');
    } finally {
      setBusy(false);
    }
  }

  function decline() {
    Taro.showModal({
      title: '暂不同意',
      content: '不同意的话，我们不会收集您的任何信息，但也无法为您提供办事、议事等服务。您可以直接到社区服务中心办理。',
      confirmText: '退出',
      cancelText: '再看看',
    }).then((r) => {
      if (!r.confirm) return;
      answerWechatPrivacyRequest(false);
      signOut();
      if (process.env.TARO_ENV === 'weapp') Taro.exitMiniProgram();
      else Taro.reLaunch({ url: '/packages/account/login/index' });
    });
  }

  return (
    <View className="mask privacy-dialog" catchMove>
      <View className="sheet stack" role="dialog" aria-label="隐私保护提示">
        <Text className="card-title">个人信息保护提示</Text>
        <Text className="text">
          欢迎使用村居通。为了帮您办事、参与议事和志愿服务，我们需要知道您是谁、住在哪个社区。我们只收集必要的信息；手机号、身份证号会单独征求您的同意；别人看到的手机号都会打码。
        </Text>
        <Text className="muted">您可以随时在“我的”里查看、撤回授权。完整内容请看《村居通隐私保护指引》（版本 {version}）。</Text>
        <Button className="btn plain" onClick={() => Taro.navigateTo({ url: '/packages/account/privacy/index' })}>
          查看完整隐私保护指引
        </Button>
        {error ? <Text className="field-error">{error}</Text> : null}
        <View className="btn-row">
          <ActionButton className="btn secondary" onClick={decline} disabled={busy}>
            暂不同意
          </ActionButton>
          <Button
            className="btn privacy-agree"
            id="agree-privacy"
            openType={process.env.TARO_ENV === 'weapp' ? 'agreePrivacyAuthorization' : undefined}
            onClick={agree}
            loading={busy}
            disabled={busy}
          >
            同意并继续
          </Button>
        </View>
      </View>
    </View>
  );
}

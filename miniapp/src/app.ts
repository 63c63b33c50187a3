import type { PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { initElderMode } from './lib/elder';
import { listenForWechatPrivacyRequests } from './lib/privacy';
import './app.css';

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // Follow the resident's WeChat font size: an enlarged WeChat font turns on 长辈版 by itself.
    initElderMode();
    listenForWechatPrivacyRequests();
  });
  return children;
}

export default App;

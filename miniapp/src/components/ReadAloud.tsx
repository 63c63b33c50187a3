import { useEffect, useState } from 'react';
import { useDidHide } from '@tarojs/taro';
import { Button } from '@tarojs/components';
import { useElderMode } from '../lib/elder';
import { canSpeak, speak, stopSpeaking } from '../lib/speech';

/**
 * 读给我听 in 长辈版: reads a notice, a case's next step or a guide aloud. Not shown where the platform cannot
 * speak (see lib/speech.ts), nor in the standard version.
 */
export function ReadAloud({ text, label = '读给我听', className = '' }: { text: string; label?: string; className?: string }) {
  const elder = useElderMode();
  const [speaking, setSpeaking] = useState(false);
  useEffect(() => () => stopSpeaking(), []);
  useDidHide(() => {
    stopSpeaking();
    setSpeaking(false);
  });
  if (!elder || !text.trim() || !canSpeak()) return null;
  return (
    <Button
      className={`btn secondary read-aloud ${className}`}
      aria-pressed={speaking}
      onClick={() => {
        if (speaking) {
          stopSpeaking();
          setSpeaking(false);
          return;
        }
        setSpeaking(true);
        speak(text, () => setSpeaking(false));
      }}
    >
      {speaking ? '停止朗读' : `🔊 ${label}`}
    </Button>
  );
}

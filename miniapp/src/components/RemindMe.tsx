import Taro from '@tarojs/taro';
import { Button } from '@tarojs/components';
import { errorMessage, toast } from '../lib/feedback';

/**
 * 微信提醒: WeChat subscribe messages are one-off — each acceptance allows one message — so the button asks
 * WeChat, and on "accept" records one credit with our API. Only inside WeChat; without a configured
 * template it says where progress shows instead.
 */
export function RemindMe({
  label,
  config,
  subscribe,
  done,
  unavailable,
  className = 'btn plain',
}: {
  label: string;
  config: () => Promise<{ templateId: string | null }>;
  subscribe: () => Promise<unknown>;
  done: string;
  unavailable: string;
  className?: string;
}) {
  if (process.env.TARO_ENV !== 'weapp') return null;
  async function run() {
    try {
      const { templateId } = await config();
      if (!templateId) return toast(unavailable);
      const r = await Taro.requestSubscribeMessage({ tmplIds: [templateId], entityIds: [] } as unknown as Taro.requestSubscribeMessage.Option);
      if ((r as unknown as Record<string, string>)[templateId] === 'accept') {
        await subscribe();
        toast(done);
      }
    } catch (e) {
      toast(errorMessage(e));
    }
  }
  return (
    <Button className={className} onClick={() => void run()}>
      {label}
    </Button>
  );
}

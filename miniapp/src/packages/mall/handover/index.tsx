import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button, Input } from '@tarojs/components';
import { Page } from '@/components/Page';
import { mallApi, type Redemption } from '@/api/mall';
import { ApiError } from '@/api/client';
import { formatDateTime } from '@/lib/format';

/** Clerk: scan the resident's QR code or type the code, check, hand the good over. */
export default function HandoverPage() {
  return <Page>{() => <Handover />}</Page>;
}

function Handover() {
  const [code, setCode] = useState('');
  const [found, setFound] = useState<Redemption | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'bad'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function look(c = code) {
    setMessage(null);
    setFound(null);
    try {
      setFound(await mallApi.byCode(c.trim().toUpperCase()));
    } catch (e) {
      setMessage({ kind: 'bad', text: e instanceof ApiError ? e.message : '查询失败' });
    }
  }
  async function scan() {
    try {
      const r = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
      setCode(r.result);
      await look(r.result);
    } catch {
      /* cancelled */
    }
  }
  async function handOver() {
    if (!found) return;
    setBusy(true);
    try {
      const r = await mallApi.handover(found.pickupCode);
      setFound(r);
      setMessage({ kind: 'ok', text: `已核销：请把「${r.goodsName}」交给 ${r.resident ?? '居民'}` });
      setCode('');
    } catch (e) {
      setMessage({ kind: 'bad', text: e instanceof ApiError ? e.message : '核销失败' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <View>
      <View className="card stack">
        {process.env.TARO_ENV === 'weapp' ? (
          <Button className="btn" onClick={() => void scan()}>
            扫居民的领取二维码
          </Button>
        ) : null}
        <Input
          className="input pickup-input"
          placeholder="或输入 8 位领取码"
          {...named('或输入 8 位领取码')}
          value={code}
          maxlength={8}
          onInput={(e) => setCode(e.detail.value.toUpperCase())}
        />
        <ActionButton className="btn secondary lookup" disabled={code.trim().length !== 8} onClick={() => void look()}>
          查询
        </ActionButton>
      </View>
      {message ? (
        <View className={`banner ${message.kind === 'ok' ? 'info' : 'alert'} handover-message`} role="alert">
          {message.text}
        </View>
      ) : null}
      {found ? (
        <View className="card stack handover-preview">
          <Text className="card-title">{found.goodsName}</Text>
          <Text className="text">居民：{found.resident}</Text>
          <Text className="muted">
            {found.pointsSpent} 积分 · 兑换于 {formatDateTime(found.createdAt)} · 领取期限 {formatDateTime(found.expiresAt)}
          </Text>
          {found.status === 'reserved' ? (
            <ActionButton className="btn handover-submit" loading={busy} disabled={busy} onClick={() => void handOver()}>
              确认交付（核销）
            </ActionButton>
          ) : (
            <Text className="tag">{found.status === 'handed_over' ? `已于 ${formatDateTime(found.handedOverAt)} 领取` : '已取消或已过期'}</Text>
          )}
        </View>
      ) : null}
    </View>
  );
}

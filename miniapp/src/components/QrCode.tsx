import { useMemo } from 'react';
import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import QRCode from 'qrcode';

/** A QR code drawn with views (no canvas), so it renders the same in WeChat and in the browser. `size` is in design px (750 wide). */
export function QrCode({ text, size = 480 }: { text: string; size?: number }) {
  const matrix = useMemo(() => {
    const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    return Array.from({ length: n }, (_, y) => Array.from({ length: n }, (_, x) => qr.modules.get(x, y) === 1));
  }, [text]);
  // Inline styles are not converted from design px by Taro's PostCSS step, so convert here.
  const cell = Taro.pxTransform(size / (matrix.length + 2));
  return (
    <View className="qr" style={{ padding: cell, background: '#fff', display: 'inline-block' }} aria-label="签到二维码">
      {matrix.map((row, y) => (
        <View key={y} style={{ display: 'flex', height: cell }}>
          {row.map((on, x) => (
            <View key={x} style={{ width: cell, height: cell, background: on ? '#000' : '#fff' }} />
          ))}
        </View>
      ))}
    </View>
  );
}

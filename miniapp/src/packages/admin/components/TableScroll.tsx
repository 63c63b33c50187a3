import type { ReactNode } from 'react';
import { View } from '@tarojs/components';

/**
 * A wide table that scrolls sideways on a phone. A scrolling region must be reachable by keyboard and named
 * for screen readers; in WeChat the attributes are ignored.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <View className="table-scroll" role="region" aria-label={label} {...({ tabIndex: 0 } as object)}>
      {children}
    </View>
  );
}

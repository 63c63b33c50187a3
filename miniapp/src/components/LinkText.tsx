import type { ReactNode } from 'react';
import { View, Text } from '@tarojs/components';

/**
 * A small action written as text ("更正时长 ›", "提异议 ›"): still a real target — named, announced as a
 * button, and as big as any other tap target (60×60 in 长辈版).
 */
export function LinkText({ children, onClick, className = '', label }: { children: ReactNode; onClick: () => void; className?: string; label?: string }) {
  return (
    <View className={`text-link ${className}`} role="button" aria-label={label} onClick={onClick}>
      <Text>{children}</Text>
    </View>
  );
}

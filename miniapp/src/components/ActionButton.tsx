import type { ReactNode } from 'react';
import { Button, Text, View, type ButtonProps } from '@tarojs/components';

/**
 * A button that looks like it works when it works. Taro's H5 build writes disabled="false" for
 * disabled={false}, which WeUI dims (60% white on red); this sets `disabled` only when the action is truly
 * unavailable, draws that state differently (grey, dashed border) and says why right under it.
 */
export function ActionButton({
  disabled,
  why,
  className = '',
  children,
  ...rest
}: Omit<ButtonProps, 'disabled'> & {
  disabled?: boolean;
  /** Why the action is unavailable; shown under the button while it is disabled. */
  why?: string;
  className?: string;
  children: ReactNode;
}) {
  // While its own action runs (loading) the button keeps its look and shows the spinner.
  const looksOff = disabled && !rest.loading;
  const button = (
    // Taro's H5 button still delivers the tap when disabled (WeChat's does not): an unavailable action ignores it.
    <Button
      {...rest}
      onClick={disabled ? undefined : rest.onClick}
      className={`btn ${className} ${looksOff ? 'is-disabled' : ''}`}
      {...(disabled ? { disabled: true, 'aria-disabled': true } : {})}
    >
      {children}
    </Button>
  );
  if (!looksOff || !why) return button;
  return (
    <View className="action">
      {button}
      <Text className="action-why">{why}</Text>
    </View>
  );
}

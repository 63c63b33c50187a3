import { View, Text, Button } from '@tarojs/components';

/** Loading, empty and error states: every list and page shows one of these instead of a blank screen. */
export function Loading({ text = '正在加载…' }: { text?: string }) {
  return (
    <View className="state" aria-busy="true">
      <Text>{text}</Text>
    </View>
  );
}

export function Empty({ text, action, onAction }: { text: string; action?: string; onAction?: () => void }) {
  return (
    <View className="state state-empty">
      <Text>{text}</Text>
      {action && onAction ? (
        <Button className="btn secondary" onClick={onAction}>
          {action}
        </Button>
      ) : null}
    </View>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <View className="state state-error" role="alert">
      <Text>{message}</Text>
      {onRetry ? (
        <Button className="btn" onClick={onRetry}>
          重新加载
        </Button>
      ) : null}
    </View>
  );
}

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

/** The end of a paged list: more on the way, a button to fetch more, a retry, or "that's all". */
export function ListFooter({
  hasMore,
  loadingMore,
  moreError,
  onMore,
}: {
  hasMore: boolean;
  loadingMore: boolean;
  moreError: string | null;
  onMore: () => void;
}) {
  if (moreError) {
    return (
      <View className="state state-error list-footer" role="alert">
        <Text>{moreError}</Text>
        <Button className="btn secondary" onClick={onMore}>
          再试一次
        </Button>
      </View>
    );
  }
  if (loadingMore)
    return (
      <View className="list-footer muted" aria-busy="true">
        <Text>正在加载更多…</Text>
      </View>
    );
  if (hasMore)
    return (
      <Button className="btn plain list-footer" onClick={onMore}>
        加载更多
      </Button>
    );
  return (
    <View className="list-footer muted">
      <Text>没有更多了</Text>
    </View>
  );
}

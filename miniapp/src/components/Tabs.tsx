import { View, Text } from '@tarojs/components';

export interface TabDef<K extends string> {
  key: K;
  label: string;
  count?: number;
  /** Something in this tab is overdue: the count is shown as a warning. */
  alert?: boolean;
}

/** Tabs with counts (e.g. 待办 3): big enough to tap in 长辈版, wrapping instead of scrolling sideways. */
export function Tabs<K extends string>({ tabs, value, onChange }: { tabs: TabDef<K>[]; value: K; onChange: (k: K) => void }) {
  return (
    <View className="tabs" role="tablist">
      {tabs.map((t) => (
        <View
          key={t.key}
          className={`tab tab-${t.key} ${t.key === value ? 'active' : ''}`}
          role="tab"
          aria-selected={t.key === value}
          aria-label={`${t.label}${t.count !== undefined ? ` ${t.count} 件` : ''}${t.alert ? '，有超期' : ''}`}
          onClick={() => onChange(t.key)}
        >
          <Text>{t.label}</Text>
          {/* Overdue is said in words too (！), not by colour alone. */}
          {t.count !== undefined ? (
            <Text className={`tab-count ${t.alert ? 'alert' : ''}`}>
              {t.alert ? '！' : ''}
              {t.count}
            </Text>
          ) : null}
        </View>
      ))}
    </View>
  );
}

import { View, Text } from '@tarojs/components';

export interface ChipOption<K extends string> {
  key: K;
  label: string;
}

/**
 * One choice out of a few (a theme, a category): big chips in a wrapping grid, never a strip that scrolls
 * sideways, so every choice is visible and each is at least 60×60 in 长辈版.
 */
export function Chips<K extends string>({
  options,
  value,
  onChange,
  label,
  className = '',
}: {
  options: ChipOption<K>[];
  value: K;
  onChange: (k: K) => void;
  /** What is being chosen, for screen readers ("事项分类"). */
  label: string;
  className?: string;
}) {
  return (
    <View className={`chips ${className}`} role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <View
          key={o.key || 'all'}
          className={`chip chip-${o.key || 'all'} ${o.key === value ? 'active' : ''}`}
          role="radio"
          aria-checked={o.key === value}
          onClick={() => onChange(o.key)}
        >
          <Text>{o.label}</Text>
        </View>
      ))}
    </View>
  );
}

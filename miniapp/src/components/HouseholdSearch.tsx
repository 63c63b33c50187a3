import { useState } from 'react';
import { named } from '@/lib/a11y';
import { View, Text, Button, Input } from '@tarojs/components';
import { gridApi, type GridHousehold } from '@/api/grid';
import { errorMessage } from '@/lib/feedback';

/**
 * Find a household of my grids (the whole community, for its committee and street admins) by door number,
 * e.g. "2单元" or "1号楼". `exclude` leaves one out (the household someone is moving from).
 */
export function HouseholdSearch({
  communityId,
  action,
  onPick,
  exclude,
}: {
  communityId: string;
  action: string;
  onPick: (h: GridHousehold) => void;
  exclude?: string | null;
}) {
  const [q, setQ] = useState('');
  const [items, setItems] = useState<GridHousehold[] | null>(null);
  const [error, setError] = useState('');
  async function search() {
    setError('');
    try {
      setItems((await gridApi.households(communityId, q.trim())).items.filter((h) => h.householdId !== exclude));
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <View className="stack household-search">
      <View className="row">
        <Input
          className="input household-q"
          value={q}
          maxlength={40}
          placeholder="门牌，例如 1号楼 或 2单元"
          {...named('按门牌找住户')}
          confirmType="search"
          onInput={(e) => setQ(e.detail.value)}
          onConfirm={() => void search()}
        />
        <Button className="btn secondary household-find" onClick={() => void search()}>
          找
        </Button>
      </View>
      {error ? (
        <View className="field-error" role="alert">
          {error}
        </View>
      ) : null}
      {items && !items.length ? <Text className="muted">没有找到，换个写法试试。</Text> : null}
      {items?.map((h) => (
        <View key={h.householdId} className="list-item row">
          <View>
            <Text className="text">{h.address}</Text>
            <Text className="muted">
              {h.gridName}
              {h.residents.length ? ` · ${h.residents.join('、')}` : ''}
            </Text>
          </View>
          <Button className="btn plain household-pick" onClick={() => onPick(h)}>
            {action}
          </Button>
        </View>
      ))}
    </View>
  );
}

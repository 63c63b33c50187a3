import { View, Input, Picker } from '@tarojs/components';
import type { ServiceItem } from '../../../api/hall';

/** The item's form, drawn from its definition; the database checks the same definition. */
export function FormFields({ form, values, errors, onChange }: {
  form: ServiceItem['form'];
  values: Record<string, string>;
  errors: Record<string, string>;
  onChange: (v: Record<string, string>) => void;
}) {
  return (
    <View>
      {form.map((f) => (
        <View key={f.key} className="field">
          <View className="field-label">{f.label}{f.required ? '' : '（选填）'}</View>
          {f.type === 'select' ? (
            <Picker mode="selector" range={f.options ?? []} onChange={(e) => onChange({ ...values, [f.key]: (f.options ?? [])[Number(e.detail.value)] ?? '' })}>
              <View className={`input picker field-${f.key}`}>{values[f.key] || '请选择'}</View>
            </Picker>
          ) : (
            <Input className={`input field-${f.key}`} value={values[f.key] ?? ''} maxlength={f.type === 'idcard' ? 18 : f.type === 'phone' ? 11 : 500}
              type={f.type === 'number' || f.type === 'phone' ? 'number' : f.type === 'idcard' ? 'idcard' : 'text'}
              placeholder={f.type === 'date' ? '例如 2026-11-25' : ''} onInput={(e) => onChange({ ...values, [f.key]: e.detail.value })} />
          )}
          {errors[f.key] ? <View className="field-error">{errors[f.key]}</View> : null}
        </View>
      ))}
    </View>
  );
}

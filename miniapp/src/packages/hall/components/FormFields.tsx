import { View, Input, Picker, Text } from '@tarojs/components';
import type { ServiceItem } from '@/api/hall';
import { Field, lengthError } from '@/components/Field';
import { named } from '@/lib/a11y';

type FormField = ServiceItem['form'][number];

/** A realistic length for each kind of answer (the database accepts up to 500 characters for any). */
export function limitOf(f: FormField): number {
  if (f.type === 'idcard') return 18;
  if (f.type === 'phone') return 11;
  if (f.type === 'date') return 10;
  if (f.type === 'number') return 12;
  if (/name|姓名/i.test(f.key) || /姓名|名字/.test(f.label)) return 30;
  return 100;
}

const PLACEHOLDER: Partial<Record<FormField['type'], string>> = { date: '如 2026-11-25', idcard: '18位', phone: '11位手机号' };

/** What is expected of one answer, said the way a clerk would say it; '' when it is fine. */
export function checkField(f: FormField, raw: string | undefined): string {
  const v = (raw ?? '').trim();
  if (!v) return f.required ? `请填写${f.label}` : '';
  switch (f.type) {
    case 'idcard':
      return /^\d{17}[\dXx]$/.test(v) ? '' : `身份证号应为18位（最后一位可以是X），现在是${v.length}位`;
    case 'phone':
      return /^1[3-9]\d{9}$/.test(v) ? '' : '手机号应为11位数字，以1开头';
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(v) ? '' : '日期请写成 2026-11-25 这样';
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(v) ? '' : '这里只能填数字';
    case 'select':
      return (f.options ?? []).includes(v) ? '' : '请从选项里选一个';
    default:
      return lengthError(v, limitOf(f));
  }
}

/** Every answer's problem, by field key (empty when the form can be sent). */
export function checkForm(form: FormField[], values: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of form) {
    const e = checkField(f, values[f.key]);
    if (e) errors[f.key] = e;
  }
  return errors;
}

/** The item's form, drawn from its definition; the database checks the same definition. */
export function FormFields({
  form,
  values,
  errors,
  onChange,
  onErrors,
}: {
  form: ServiceItem['form'];
  values: Record<string, string>;
  errors: Record<string, string>;
  onChange: (v: Record<string, string>) => void;
  /** Called with the errors left once a field is edited: a corrected answer loses its red at once. */
  onErrors?: (e: Record<string, string>) => void;
}) {
  const change = (key: string, value: string) => {
    onChange({ ...values, [key]: value });
    if (errors[key] && onErrors) {
      const f = form.find((x) => x.key === key)!;
      const again = checkField(f, value);
      const next = { ...errors };
      if (again) next[key] = again;
      else delete next[key];
      if (!Object.keys(next).some((k) => k !== '_')) delete next._; // the summary goes with the last error
      onErrors(next);
    }
  };
  return (
    <View>
      {form.map((f) => {
        const value = values[f.key] ?? '';
        const max = f.type === 'text' ? limitOf(f) : undefined;
        const error = errors[f.key] || (max ? lengthError(value, max) : '');
        const name = f.required ? `${f.label}（必填）` : f.label;
        return (
          <Field key={f.key} label={f.label} required={f.required} error={error} max={max} count={value.trim().length}>
            {f.type === 'select' ? (
              <Picker mode="selector" range={f.options ?? []} onChange={(e) => change(f.key, (f.options ?? [])[Number(e.detail.value)] ?? '')}>
                <View className={`input picker field-${f.key}`} role="button" aria-label={`${name}：${value || '请选择'}`}>
                  <Text>{value || '请选择 ›'}</Text>
                </View>
              </Picker>
            ) : (
              // No maxlength cut: pasted text stays whole, and the counter and the error say what is too long.
              <Input
                className={`input field-${f.key}`}
                value={value}
                maxlength={-1}
                type={f.type === 'number' || f.type === 'phone' ? 'number' : f.type === 'idcard' ? 'idcard' : 'text'}
                placeholder={PLACEHOLDER[f.type] ?? ''}
                {...named(name)}
                onInput={(e) => change(f.key, e.detail.value)}
              />
            )}
          </Field>
        );
      })}
    </View>
  );
}

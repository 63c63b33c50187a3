import type { ReactNode } from 'react';
import { View, Text, Input, Textarea } from '@tarojs/components';
import { named } from '../lib/a11y';

/**
 * One form field: its label with 必填 (*) or 选填 marked before anyone presses submit, a hint above the input
 * (never under it, where a textarea would cover it), the error right under the field saying what is
 * expected, and for limited fields a counter ("12/60") that turns red past the limit instead of silently
 * cutting pasted text.
 */
export function Field({
  label,
  required,
  hint,
  error,
  count,
  max,
  children,
  className = '',
}: {
  label: string;
  required?: boolean;
  hint?: string;
  error?: string;
  count?: number;
  max?: number;
  className?: string;
  children: ReactNode;
}) {
  return (
    <View className={`field ${error ? 'has-error' : ''} ${className}`}>
      <View className="field-label">
        <Text>{label}</Text>
        {required ? (
          <Text className="field-required" aria-label="必填">
            *
          </Text>
        ) : (
          <Text className="field-optional">（选填）</Text>
        )}
      </View>
      {hint ? <Text className="field-hint">{hint}</Text> : null}
      {children}
      {error || max ? (
        <View className="field-foot">
          {error ? (
            <View className="field-error" role="alert">
              {error}
            </View>
          ) : (
            <View />
          )}
          {max ? (
            <Text className={`field-count ${count !== undefined && count > max ? 'over' : ''}`}>
              {count ?? 0}/{max}
            </Text>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

/** The error for a text that is too long, or '' when it fits. */
export function lengthError(text: string, max: number): string {
  const n = text.trim().length;
  return n > max ? `最多 ${max} 个字，现在 ${n} 个字，请删掉 ${n - max} 个字` : '';
}

/**
 * A text field (one line, or several with `multiline`) wired to Field: accessible name from the label,
 * counter and over-length error from `max`.
 */
export function TextField({
  label,
  value,
  onChange,
  required,
  hint,
  error,
  max,
  placeholder,
  multiline,
  type,
  className = '',
  inputClassName = '',
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  required?: boolean;
  hint?: string;
  error?: string;
  max?: number;
  placeholder?: string;
  multiline?: boolean;
  type?: 'text' | 'number' | 'idcard' | 'digit';
  className?: string;
  /** Extra class on the input itself (tests and page styles find it by this). */
  inputClassName?: string;
}) {
  const shown = error || (max ? lengthError(value, max) : '');
  const name = required ? `${label}（必填）` : label;
  return (
    <Field label={label} required={required} hint={hint} error={shown} count={max ? value.trim().length : undefined} max={max} className={className}>
      {multiline ? (
        <Textarea
          className={`input textarea ${inputClassName}`}
          value={value}
          maxlength={-1}
          placeholder={placeholder}
          {...named(name)}
          onInput={(e) => onChange(e.detail.value)}
        />
      ) : (
        <Input
          className={`input ${inputClassName}`}
          value={value}
          maxlength={-1}
          placeholder={placeholder}
          type={type ?? 'text'}
          {...named(name)}
          onInput={(e) => onChange(e.detail.value)}
        />
      )}
    </Field>
  );
}

/**
 * Accessible names that reach the element a screen reader reads. In WeChat, aria-label on a component is
 * read out as is; in the H5 build Taro draws <Input>, <Textarea>, <Switch> and <Image> as a wrapper around a
 * native element, and only `nativeProps` reach the native <input>/<img>, so both are set.
 */
export function named(label: string, native: Record<string, unknown> = {}): { 'aria-label': string; nativeProps?: Record<string, unknown> } {
  return process.env.TARO_ENV === 'h5' ? { 'aria-label': label, nativeProps: { 'aria-label': label, ...native } } : { 'aria-label': label };
}

/** An image's text alternative (alt on H5's <img>, aria-label in WeChat). */
export function alt(text: string): { 'aria-label': string; nativeProps?: Record<string, unknown> } {
  return process.env.TARO_ENV === 'h5' ? { 'aria-label': text, nativeProps: { alt: text } } : { 'aria-label': text };
}

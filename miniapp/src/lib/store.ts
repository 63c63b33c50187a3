import { useSyncExternalStore } from 'react';

/** A tiny observable value for app-wide state (session, elder mode) shared by every page. */
export function createStore<T>(initial: T) {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next: T) {
      value = next;
      for (const l of listeners) l();
    },
    subscribe(l: () => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    use(): T {
      // biome-ignore lint/correctness/useHookAtTopLevel: `use` is itself a hook (components call `session.use()`), and calls this one unconditionally
      return useSyncExternalStore(this.subscribe, this.get, this.get);
    },
  };
}

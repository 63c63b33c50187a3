import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';

export type Load<T> = { status: 'loading' } | { status: 'error'; message: string; code: string } | { status: 'ready'; data: T };

/** Loads data for a page: loading, error (with the server's message) and ready, plus reload. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): [Load<T>, () => Promise<void>] {
  const [state, setState] = useState<Load<T>>({ status: 'loading' });
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const reload = useCallback(async () => {
    try {
      const data = await fnRef.current();
      setState({ status: 'ready', data });
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('internal', '加载失败，请稍后再试', 0);
      setState({ status: 'error', message: e.message, code: e.code });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    setState({ status: 'loading' });
    void reload();
  }, [reload]);
  return [state, reload];
}

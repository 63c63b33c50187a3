import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { ApiError } from '../api/client';
import { markFresh, markStale } from './network';

/**
 * The one way a page loads its data: loading → ready or error (with the server's Chinese message), pull to
 * refresh, and — for lists — the next page when the resident scrolls to the bottom. An answer that arrives
 * after a newer request was made (a slow search overtaken by the next keystroke, a refresh racing a filter
 * change) is dropped, so the screen always shows the latest question's answer.
 */
export type Load<T> = { status: 'loading' } | { status: 'error'; message: string; code: string } | { status: 'ready'; data: T };

/** A refresh that failed for want of network keeps the answer on screen; the Page frame says it is not fresh. */
function keepOnNetworkError<S extends { status: string }>(prev: S, err: unknown, next: S): S {
  if (prev.status === 'ready' && err instanceof ApiError && err.code === 'network') {
    markStale();
    return prev;
  }
  return next;
}

function failure(err: unknown): { status: 'error'; message: string; code: string } {
  const e = err instanceof ApiError ? err : new ApiError('internal', '加载失败，请稍后再试', 0);
  return { status: 'error', message: e.message, code: e.code };
}

/** Data for a page (one object). `reload` keeps the current data on screen while it refreshes. */
export function usePageData<T>(fetch: () => Promise<T>, deps: unknown[]): [Load<T>, () => Promise<void>] {
  const [state, setState] = useState<Load<T>>({ status: 'loading' });
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  const seq = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const data = await fetchRef.current();
      if (mine === seq.current) {
        setState({ status: 'ready', data });
        markFresh();
      }
    } catch (err) {
      if (mine === seq.current) setState((prev) => keepOnNetworkError<Load<T>>(prev, err, failure(err)));
    }
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what its fetch depends on
  }, deps);

  useEffect(() => {
    setState({ status: 'loading' });
    void reload();
  }, [reload]);
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()));
  return [state, reload];
}

export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

type ItemOf<P> = P extends PageOf<infer T> ? T : never;

export interface PagedList<T, P extends PageOf<unknown> = PageOf<T>> {
  state: Load<T[]>;
  /** The whole first answer: for lists that come with a summary (totals, counts) on their first page. */
  first: P | null;
  /** Starts over from the first page. */
  reload: () => Promise<void>;
  /** Fetches the next page (also called when the resident scrolls to the bottom). */
  loadMore: () => Promise<void>;
  hasMore: boolean;
  loadingMore: boolean;
  /** The next page failed: say so next to the list, with a retry. */
  moreError: string | null;
}

/** A paged list (`{ items, nextCursor }` answers): first page, more on scroll, pull to refresh. */
export function usePagedList<P extends PageOf<unknown>>(fetch: (cursor?: string) => Promise<P>, deps: unknown[]): PagedList<ItemOf<P>, P> {
  type T = ItemOf<P>;
  const [state, setState] = useState<Load<T[]>>({ status: 'loading' });
  const [first, setFirst] = useState<P | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  const seq = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setMoreError(null);
    try {
      const page = await fetchRef.current();
      if (mine !== seq.current) return;
      setFirst(page);
      setState({ status: 'ready', data: page.items as T[] });
      setCursor(page.nextCursor);
      markFresh();
    } catch (err) {
      if (mine === seq.current) setState((prev) => keepOnNetworkError<Load<T[]>>(prev, err, failure(err)));
    }
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what its fetch depends on
  }, deps);

  const loadMore = useCallback(async () => {
    if (!cursor || loadingMore || state.status !== 'ready') return;
    const mine = seq.current;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await fetchRef.current(cursor);
      if (mine !== seq.current) return; // the list was reloaded meanwhile
      setState((s) => (s.status === 'ready' ? { status: 'ready', data: [...s.data, ...(page.items as T[])] } : s));
      setCursor(page.nextCursor);
    } catch (err) {
      if (mine === seq.current) setMoreError(failure(err).message);
    } finally {
      setLoadingMore(false);
    }
  }, [cursor, loadingMore, state.status]);

  useEffect(() => {
    setState({ status: 'loading' });
    setCursor(null);
    void reload();
  }, [reload]);
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void loadMore());
  return { state, first, reload, loadMore, hasMore: Boolean(cursor), loadingMore, moreError };
}

/** Every page of a list, for the few screens that need the whole of a bounded list (a meeting's roster). */
export async function fetchAllPages<T>(fetch: (cursor?: string) => Promise<PageOf<T>>, max = 50): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < max; i++) {
    const page = await fetch(cursor);
    all.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return all;
}

import Taro from '@tarojs/taro';
import type { ErrorBody } from '@contracts/common';

/**
 * The only place that calls Taro.request: base URL, token, timeout, one retry for calls that are safe
 * to repeat, and every failure turned into an ApiError carrying the server's Chinese message.
 */
const BASE = process.env.TARO_APP_API_BASE || '';
const TOKEN_KEY = 'cunju.token';
const TIMEOUT_MS = 15000;

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

type Listener = () => void;
const signedOutListeners = new Set<Listener>();
/** Called when the server says the token is missing, invalid or expired. */
export function onSignedOut(fn: Listener): () => void {
  signedOutListeners.add(fn);
  return () => signedOutListeners.delete(fn);
}

export function getToken(): string {
  return Taro.getStorageSync<string>(TOKEN_KEY) || '';
}
export function setToken(token: string): void {
  if (token) Taro.setStorageSync(TOKEN_KEY, token);
  else Taro.removeStorageSync(TOKEN_KEY);
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** For operations that must happen once: retries send the same key and get the first result. */
  idempotencyKey?: string;
  auth?: boolean;
}

export function newIdempotencyKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, opts: RequestOptions = {}): Promise<T> {
  const qs = Object.entries(opts.query ?? {})
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  const url = `${BASE}/api${path}${qs ? `?${qs}` : ''}`;
  const header: Record<string, string> = { 'content-type': 'application/json' };
  const token = opts.auth === false ? '' : getToken();
  if (token) header.authorization = `Bearer ${token}`;
  if (opts.idempotencyKey) header['idempotency-key'] = opts.idempotencyKey;
  const retryable = method === 'GET' || Boolean(opts.idempotencyKey);

  for (let attempt = 0; ; attempt++) {
    let res: Taro.request.SuccessCallbackResult<string | Record<string, unknown> | ArrayBuffer>;
    try {
      res = await Taro.request({ url, method, header, data: opts.body as Record<string, unknown> | undefined, timeout: TIMEOUT_MS, dataType: 'json' });
    } catch {
      if (retryable && attempt === 0) continue;
      throw new ApiError('network', '网络不太好，请检查网络后再试', 0);
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res.data as T;
    if (res.statusCode >= 502 && retryable && attempt === 0) continue;
    const body = res.data as Partial<ErrorBody> | undefined;
    const err = body?.error;
    if (res.statusCode === 401) {
      setToken('');
      for (const fn of signedOutListeners) fn();
    }
    throw new ApiError(err?.code ?? 'internal', err?.message ?? '系统开小差了，请稍后再试', res.statusCode, err?.fields ?? {});
  }
}

/**
 * Sends a chosen photo or file to where the server said (the same in WeChat and H5: Taro.uploadFile posts a
 * form): our own upload route (signed in) or an object store's presigned form (no token: it carries its own
 * signature). Reports progress; a network failure is an ApiError the caller can retry.
 */
export async function uploadFormFile(
  target: { url: string; fields: Record<string, string>; fileField: string },
  filePath: string,
  onProgress?: (percent: number) => void,
): Promise<unknown> {
  const own = target.url.startsWith('/');
  const header: Record<string, string> = {};
  const token = getToken();
  if (own && token) header.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const task = Taro.uploadFile({
      url: own ? `${BASE}${target.url}` : target.url,
      filePath,
      name: target.fileField,
      formData: target.fields,
      header,
      timeout: 120_000,
      success: (res) => {
        let body: Partial<ErrorBody> & Record<string, unknown> = {};
        try {
          body = typeof res.data === 'string' && res.data ? JSON.parse(res.data) : {};
        } catch {
          // an object store answers XML or nothing
        }
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(body);
        else reject(new ApiError(body.error?.code ?? 'upload', body.error?.message ?? '上传没有成功，请重试', res.statusCode, body.error?.fields ?? {}));
      },
      fail: () => reject(new ApiError('network', '网络不太好，上传没有成功，请重试', 0)),
    });
    task?.onProgressUpdate?.((p) => onProgress?.(p.progress));
  });
}

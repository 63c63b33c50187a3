import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for api.weixin.qq.com's code2session, answering as WeChat does: a code works once,
 * unknown codes get 40029, a reused code 40163, a wrong appid 40013, a wrong secret 40125.
 * Codes look like `good:<openid>` or `good:<openid>:<nonce>` (a new code for the same person).
 */
export const FAKE_APPID = 'wx0000000000test';
export const FAKE_SECRET = 'fake-wechat-secret-for-tests';
export const FAKE_SESSION_KEY = 'SESSION_KEY_MUST_NEVER_LEAVE_THE_SERVER';

export async function startFakeWechat() {
  const used = new Set<string>();
  const requests: URL[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const reply = (body: object) => {
      res.writeHead(200, { 'content-type': 'text/plain' }); // WeChat really sends JSON as text/plain
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/sns/jscode2session') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => serverApi(url, body ? JSON.parse(body) : {}, reply));
      return;
    }
    const q = url.searchParams;
    if (q.get('appid') !== FAKE_APPID) return reply({ errcode: 40013, errmsg: 'invalid appid' });
    if (q.get('secret') !== FAKE_SECRET) return reply({ errcode: 40125, errmsg: 'invalid appsecret' });
    if (q.get('grant_type') !== 'authorization_code') return reply({ errcode: 40002, errmsg: 'invalid grant_type' });
    const code = q.get('js_code') ?? '';
    if (!code.startsWith('good:')) return reply({ errcode: 40029, errmsg: 'invalid code' });
    if (used.has(code)) return reply({ errcode: 40163, errmsg: 'code been used' });
    used.add(code);
    reply({ openid: code.slice(5).split(':')[0], session_key: FAKE_SESSION_KEY });
  });
  /** Server-side APIs: stable_token, subscribe send, msg_sec_check. Texts containing 违禁 are risky. */
  const sent: Array<Record<string, unknown>> = [];
  const checked: string[] = [];
  /** Asynchronous media checks asked for: WeChat answers later by message push (tests push the answer). */
  const mediaChecks: Array<{ traceId: string; mediaUrl: string; openid: string }> = [];
  let failNextSend = false;
  const TOKEN = 'ACCESS_TOKEN_FAKE';
  function serverApi(url: URL, body: Record<string, unknown>, reply: (b: object) => void) {
    if (url.pathname === '/cgi-bin/stable_token') {
      if (body.appid !== FAKE_APPID || body.secret !== FAKE_SECRET) return reply({ errcode: 40013, errmsg: 'invalid appid' });
      return reply({ access_token: TOKEN, expires_in: 7200 });
    }
    if (url.searchParams.get('access_token') !== TOKEN) return reply({ errcode: 40001, errmsg: 'invalid credential' });
    if (url.pathname === '/cgi-bin/message/subscribe/send') {
      if (failNextSend) {
        failNextSend = false;
        return reply({ errcode: 43101, errmsg: 'user refuse to accept the msg' });
      }
      sent.push(body);
      return reply({ errcode: 0, errmsg: 'ok' });
    }
    if (url.pathname === '/wxa/msg_sec_check') {
      checked.push(String(body.content));
      const risky = String(body.content).includes('违禁');
      return reply({ errcode: 0, errmsg: 'ok', result: { suggest: risky ? 'risky' : 'pass', label: risky ? 20001 : 100 } });
    }
    if (url.pathname === '/wxa/media_check_async') {
      const traceId = `trace-${mediaChecks.length + 1}-${Date.now()}`;
      mediaChecks.push({ traceId, mediaUrl: String(body.media_url), openid: String(body.openid) });
      return reply({ errcode: 0, errmsg: 'ok', trace_id: traceId });
    }
    reply({ errcode: 404, errmsg: 'unknown api' });
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sent,
    checked,
    mediaChecks,
    failNextSend: () => (failNextSend = true),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

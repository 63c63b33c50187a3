import vm from 'node:vm';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A small fake of WeChat's mini-program logic layer, enough to run Taro's compiled weapp output (miniapp/dist)
 * in Node: the JS files are evaluated in a `vm` context that has what WeChat's JS engine has (the ECMAScript
 * built-ins, console, timers, `wx`, App/Page/Component/getApp/getCurrentPages and WeChat's module `require`)
 * and nothing a browser has (no window, document, fetch, URL, TextEncoder, MessageChannel, …). Like WeChat it
 * refuses eval/new Function, hides window/document/location/… from every module (WeChat passes them as
 * `undefined` parameters), and keeps a subpackage's files out of reach of other packages.
 *
 * What it adds on purpose: Taro's bundler swaps every free `window`/`document`/`location`/`history` in the
 * bundled code for Taro's own stand-ins (ProvidePlugin), so on a phone such code does not crash — it silently
 * does nothing (`document.title = …` changes no title, `window.print` is undefined). DESIGN.md forbids DOM APIs in
 * pages, so this runtime puts a trip wire on those stand-ins: any use from bundled code is recorded and thrown.
 *
 * What it does not do: render WXML (base.wxml / comp are never instantiated; Taro's `setData` payload is
 * recorded and merged instead), run the view layer, fire taps, or know every `wx` API (an API missing here shows
 * up as "wx.x is not a function" — add it below if WeChat has it).
 */

export interface AppJson {
  pages: string[];
  subPackages?: { root: string; pages: string[] }[];
  tabBar?: { list: { pagePath: string }[] };
}

export interface RequestRecord {
  method: string;
  /** Path and query as the mini-program asked for it (origin removed). */
  path: string;
  status: number;
  ms: number;
}

export interface WxCall {
  api: string;
  arg: unknown;
}

export interface PageRun {
  route: string;
  query: Record<string, string>;
  /** Everything that would be a red line in WeChat DevTools' console, or worse. */
  errors: string[];
  setDataCalls: number;
  requests: RequestRecord[];
  /** The page's data after every setData was merged (Taro's render tree under `root`). */
  data: Record<string, unknown>;
  wxCalls: WxCall[];
  ms: number;
}

export interface WeappRuntimeOptions {
  distDir: string;
  /** Origin of the API server that answers wx.request (e.g. http://127.0.0.1:4321). */
  apiOrigin: string;
  /** Initial storage (e.g. { 'cunju.token': '…' }). */
  storage?: Record<string, unknown>;
  /** Quiet time (no request in flight, no setData) after which a page counts as settled. */
  quietMs?: number;
  /** Longest wait for a page to settle. */
  maxWaitMs?: number;
}

// WeChat wraps every module in a function with these parameters and passes `undefined` for all but the first three.
const MODULE_PARAMS = [
  'require',
  'module',
  'exports',
  'window',
  'document',
  'frames',
  'self',
  'location',
  'navigator',
  'localStorage',
  'history',
  'Caches',
  'screen',
  'alert',
  'confirm',
  'prompt',
  'XMLHttpRequest',
  'WebSocket',
  'Reporter',
  'webkit',
  'WeixinJSCore',
];

// `<req>(<runtime module id>)["document"]` is how webpack's ProvidePlugin hands Taro's stand-ins to a module.
const PROVIDED_DOM = /([A-Za-z_$][\w$]*)\(\s*(?:\/\*[^*]*\*\/\s*)?(\d+|"[^"]+")\s*\)\[\s*"(window|document|location|history)"\s*\]/g;

const scripts = new Map<string, vm.Script>();
function compiled(file: string): vm.Script {
  let s = scripts.get(file);
  if (!s) {
    const code = readFileSync(file, 'utf8').replace(
      PROVIDED_DOM,
      (_m, req: string, id: string, name: string) => `__weappDomTrap(${JSON.stringify(name)}, ${req}(${id})[${JSON.stringify(name)}])`,
    );
    s = new vm.Script(`(function (${MODULE_PARAMS.join(', ')}) {${code}\n})`, { filename: file });
    scripts.set(file, s);
  }
  return s;
}

export function readAppJson(distDir: string): AppJson {
  return JSON.parse(readFileSync(path.join(distDir, 'app.json'), 'utf8')) as AppJson;
}

/** Every page of app.json: main package first, then each subpackage's pages with their root. */
export function allPages(app: AppJson): string[] {
  return [...app.pages, ...(app.subPackages ?? []).flatMap((p) => p.pages.map((page) => `${p.root}/${page}`))];
}

function describe(err: unknown): string {
  if (err && typeof err === 'object' && 'stack' in err && typeof (err as Error).stack === 'string') {
    const e = err as Error;
    // Keep the message and the first frames; minified bundles make the rest noise.
    return e.stack!.split('\n').slice(0, 4).join('\n');
  }
  if (err && typeof err === 'object') {
    try {
      return JSON.stringify(err);
    } catch {
      /* fall through */
    }
  }
  return String(err);
}

/**
 * One launch of the mini-program: the app is loaded, then `openPage` opens one page in it (like entering the
 * mini-program from a shared card or a QR code). Use a new runtime per page to keep pages independent.
 */
export class WeappRuntime {
  readonly app: AppJson;
  readonly storage = new Map<string, unknown>();
  readonly errors: string[] = [];
  readonly requests: RequestRecord[] = [];
  readonly wxCalls: WxCall[] = [];
  /** Notes about the build itself (e.g. the API base it was compiled with). */
  readonly notes = new Set<string>();

  private readonly ctx: vm.Context;
  private readonly ctxJSON: JSON;
  private readonly ctxPromise: PromiseConstructor;
  private readonly modules = new Map<string, { exports: unknown }>();
  private readonly pageConfigs = new Map<string, Record<string, unknown>>();
  private readonly componentConfigs = new Map<string, Record<string, unknown>>();
  private readonly stack: Record<string, unknown>[] = [];
  /** The context's timers by the number WeChat's setTimeout returns. */
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private timerIds = 0;
  private readonly aborts = new Set<AbortController>();
  private appInstance: Record<string, unknown> | null = null;
  private loading: string | null = null;
  private inflight = 0;
  private lastActivity = Date.now();
  private setDataCalls = 0;
  private closed = false;
  private readonly onRejection = (reason: unknown, promise: Promise<unknown>) => {
    if (!this.closed && promise instanceof this.ctxPromise) this.fail(`unhandled promise rejection: ${describe(reason)}`);
  };

  constructor(private readonly opts: WeappRuntimeOptions) {
    this.app = readAppJson(opts.distDir);
    for (const [k, v] of Object.entries(opts.storage ?? {})) this.storage.set(k, JSON.stringify(v));
    const guard =
      <A extends unknown[]>(fn: (...a: A) => unknown) =>
      (...a: A) => {
        if (this.closed) return;
        try {
          fn(...a);
        } catch (err) {
          this.fail(describe(err));
        }
      };
    const timer =
      (kind: 'timeout' | 'interval') =>
      (fn: unknown, ms?: number, ...args: unknown[]) => {
        if (typeof fn !== 'function') throw new TypeError(`set${kind === 'timeout' ? 'Timeout' : 'Interval'} expects a function`);
        const run = guard(() => (fn as (...a: unknown[]) => unknown)(...args));
        const id = ++this.timerIds;
        this.timers.set(
          id,
          kind === 'timeout'
            ? setTimeout(() => {
                this.timers.delete(id);
                run();
              }, ms)
            : setInterval(run, ms),
        );
        return id;
      };
    const clear = (id: unknown) => {
      const h = this.timers.get(id as number);
      if (!h) return;
      clearTimeout(h);
      this.timers.delete(id as number);
    };
    const log =
      (level: string) =>
      (...args: unknown[]) => {
        if (level === 'error') this.fail(`console.error: ${args.map(describe).join(' ')}`);
      };
    const sandbox: Record<string, unknown> = {
      console: {
        log: log('log'),
        info: log('info'),
        debug: log('debug'),
        warn: log('warn'),
        error: log('error'),
        group: log('log'),
        groupEnd: log('log'),
        time: log('log'),
        timeEnd: log('log'),
      },
      setTimeout: timer('timeout'),
      setInterval: timer('interval'),
      clearTimeout: clear,
      clearInterval: clear,
      wx: null,
      App: (config: Record<string, unknown>) => {
        if (this.appInstance) throw new Error('App() called twice');
        this.appInstance = config;
      },
      Page: (config: Record<string, unknown>) => {
        if (!this.loading) throw new Error('Page() called outside a page file');
        this.pageConfigs.set(this.loading, config);
      },
      Component: (config: Record<string, unknown>) => {
        if (!this.loading) throw new Error('Component() called outside a component file');
        this.componentConfigs.set(this.loading, config);
      },
      Behavior: (config: unknown) => config,
      getApp: () => this.appInstance,
      getCurrentPages: () => this.stack.slice(),
      requirePlugin: (name: string) => {
        throw new Error(`requirePlugin("${name}"): no plugins are declared in app.json`);
      },
      __weappDomTrap: (name: string, real: object) => this.domTrap(name, real),
    };
    this.ctx = vm.createContext(sandbox, { name: 'weapp', codeGeneration: { strings: false, wasm: false } });
    this.ctxJSON = vm.runInContext('JSON', this.ctx) as JSON;
    this.ctxPromise = vm.runInContext('Promise', this.ctx) as PromiseConstructor;
    vm.runInContext('delete globalThis.WebAssembly;', this.ctx);
    sandbox.wx = this.makeWx(guard);
    (this.ctx as Record<string, unknown>).wx = sandbox.wx;
    process.on('unhandledRejection', this.onRejection);
  }

  private fail(message: string) {
    this.errors.push(message);
  }

  /** Plain data made inside the context, so `instanceof Object/Array` holds for the mini-program's code. */
  private toCtx<T>(value: T): T {
    return value === undefined ? value : (this.ctxJSON.parse(JSON.stringify(value)) as T);
  }

  private domTrap(name: string, real: object): object {
    const trip = (what: string): never => {
      const msg = `${name}${what}: a DOM/BOM API — WeChat has no ${name}; Taro's stand-in does nothing (DESIGN.md: no DOM APIs in pages)`;
      this.fail(msg);
      throw new TypeError(msg);
    };
    const key = (p: string | symbol) => (typeof p === 'symbol' ? `[${String(p)}]` : `.${p}`);
    return new Proxy(real, {
      get: (_t, p) => trip(key(p)),
      set: (_t, p) => trip(`${key(p)} = …`),
      has: (_t, p) => trip(` ("${String(p)}" in ${name})`),
      deleteProperty: (_t, p) => trip(`delete ${key(p)}`),
      ownKeys: () => trip(' keys'),
      defineProperty: (_t, p) => trip(`defineProperty ${key(p)}`),
    });
  }

  // ---- modules ---------------------------------------------------------------------------------------------

  private packageOf(rel: string): string {
    const sub = (this.app.subPackages ?? []).find((p) => rel.startsWith(`${p.root}/`));
    return sub ? sub.root : '';
  }

  /** WeChat's require: relative to the requiring file, inside dist, `.js` optional, one instance per file. */
  requireFile(rel: string, from: string | null = null): unknown {
    let target = path.posix.normalize(from ? path.posix.join(path.posix.dirname(from), rel) : rel);
    if (!target.endsWith('.js')) target += '.js';
    if (target.startsWith('..')) throw new Error(`module "${target}" is outside the mini-program (required from ${from})`);
    const fromPkg = this.packageOf(from ?? '');
    const toPkg = this.packageOf(target);
    // `from === null`: loaded by WeChat itself (app.js, a page, a component), not by another module.
    if (from !== null && toPkg && toPkg !== fromPkg) {
      throw new Error(
        `module "${target}" is not defined: ${from || 'the app'} (${fromPkg ? `subpackage ${fromPkg}` : 'main package'}) cannot require a file of subpackage ${toPkg}`,
      );
    }
    const cached = this.modules.get(target);
    if (cached) return cached.exports;
    const file = path.join(this.opts.distDir, target);
    if (!existsSync(file)) throw new Error(`module "${target}" is not defined (required from ${from || 'the app'})`);
    const module = { exports: {} as unknown };
    this.modules.set(target, module);
    const fn = compiled(file).runInContext(this.ctx) as (...a: unknown[]) => void;
    const outer = this.loading;
    this.loading = target.replace(/\.js$/, '');
    try {
      fn((r: string) => this.requireFile(r, target), module, module.exports);
    } finally {
      this.loading = outer;
    }
    return module.exports;
  }

  // ---- app and pages ---------------------------------------------------------------------------------------

  /** Loads app.js and runs App's onLaunch/onShow, as WeChat does before the first page. */
  launch(entry: string, query: Record<string, string>) {
    this.requireFile('app.js');
    if (!this.appInstance) throw new Error('app.js did not call App() (a webpack chunk it needs was never loaded?)');
    const opts = this.toCtx({ path: entry, query, scene: 1001, referrerInfo: {}, apiCategory: 'default' });
    (this.appInstance.onLaunch as ((o: unknown) => void) | undefined)?.call(this.appInstance, opts);
    (this.appInstance.onShow as ((o: unknown) => void) | undefined)?.call(this.appInstance, opts);
  }

  /** Opens a page as the first page of this launch and waits until it has settled. */
  async openPage(route: string, query: Record<string, string> = {}): Promise<PageRun> {
    const started = Date.now();
    try {
      this.launch(route, query);
      this.requireFile(`${route}.js`);
      for (const ext of ['json', 'wxml']) {
        if (!existsSync(path.join(this.opts.distDir, `${route}.${ext}`))) this.fail(`${route}.${ext} is missing: WeChat cannot compile the page`);
      }
      const jsonFile = path.join(this.opts.distDir, `${route}.json`);
      const json = existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as { usingComponents?: Record<string, string> }) : {};
      for (const [name, p] of Object.entries(json.usingComponents ?? {})) {
        const comp = path.posix.normalize(p.startsWith('/') ? p.slice(1) : path.posix.join(path.posix.dirname(route), p));
        this.requireFile(`${comp}.js`);
        if (!this.componentConfigs.has(comp)) this.fail(`usingComponents.${name} (${comp}) did not call Component()`);
      }
      const config = this.pageConfigs.get(route);
      if (!config) throw new Error(`${route}.js did not call Page()${this.missingChunks(route)}`);
      const page = this.instantiate(route, config, query);
      this.stack.push(page);
      const call = (name: string, ...args: unknown[]) => (page[name] as ((...a: unknown[]) => unknown) | undefined)?.apply(page, args);
      call('onLoad', this.toCtx(query));
      call('onShow');
      await this.until(() => this.setDataCalls > 0, 2000);
      call('onReady');
      await this.settle();
      const run: PageRun = {
        route,
        query,
        errors: this.errors,
        setDataCalls: this.setDataCalls,
        requests: this.requests,
        data: page.data as Record<string, unknown>,
        wxCalls: this.wxCalls,
        ms: 0,
      };
      // Leave the page the way WeChat does (reLaunch/back): its effects' cleanup runs too.
      call('onHide');
      call('onUnload');
      this.stack.pop();
      await this.settle(50);
      run.ms = Date.now() - started;
      return run;
    } catch (err) {
      this.fail(describe(err));
      return {
        route,
        query,
        errors: this.errors,
        setDataCalls: this.setDataCalls,
        requests: this.requests,
        data: {},
        wxCalls: this.wxCalls,
        ms: Date.now() - started,
      };
    }
  }

  /** Which webpack chunks a file waits for that no loaded file provided (a file missing from its package). */
  private missingChunks(route: string): string {
    const src = readFileSync(path.join(this.opts.distDir, `${route}.js`), 'utf8');
    const wanted = [...src.matchAll(/\.O\(0,\s*\[([\d,\s]+)\]/g)].flatMap((m) => m[1]!.split(',').map((x) => Number(x.trim())));
    const queue = ((this.ctx as Record<string, unknown>).wx as { webpackJsonp?: [number[]][] }).webpackJsonp ?? [];
    const loaded = new Set(queue.flatMap((c) => c[0]));
    const missing = wanted.filter((id) => !loaded.has(id));
    return missing.length ? `: it waits for webpack chunk(s) ${missing.join(', ')} that no loaded file registered` : '';
  }

  private instantiate(route: string, config: Record<string, unknown>, query: Record<string, string>) {
    const page: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(config)) page[k] = k === 'data' ? this.toCtx(v) : v;
    page.data ??= this.toCtx({});
    page.route = route;
    page.__route__ = route;
    page.options = this.toCtx(query);
    page.__wxWebviewId__ = 1;
    page.__wxExparserNodeId__ = 'weapp-smoke-1';
    page.setData = (data: Record<string, unknown>, cb?: () => void) => {
      if (this.closed) return;
      this.setDataCalls++;
      this.lastActivity = Date.now();
      let json: string;
      try {
        json = JSON.stringify(data, (k, v: unknown) => {
          if (v === undefined && k) throw new Error(`setData: "${k}" is undefined (WeChat drops it and warns)`);
          if (typeof v === 'function') throw new Error(`setData: "${k}" is a function (WeChat cannot send it to the view)`);
          return v;
        });
      } catch (err) {
        this.fail(describe(err));
        return;
      }
      if (json.length > 1024 * 1024) this.fail(`setData: ${json.length} bytes in one call (WeChat's limit is 1 MB)`);
      const plain = JSON.parse(json) as Record<string, unknown>;
      for (const [p, v] of Object.entries(plain)) setPath(page.data as Record<string, unknown>, p, v);
      if (typeof cb === 'function') this.later(() => cb.call(page));
    };
    page.selectComponent = () => null;
    page.selectAllComponents = () => this.toCtx([]);
    page.createSelectorQuery = () => this.selectorQuery('page.createSelectorQuery');
    page.createIntersectionObserver = () => ({
      relativeTo: () => page.createIntersectionObserver,
      relativeToViewport() {
        return this;
      },
      observe() {},
      disconnect() {},
    });
    page.getOpenerEventChannel = () => ({ emit() {}, on() {}, off() {}, once() {} });
    page.getTabBar = () => null;
    page.getPageId = () => 'weapp-smoke-page-1';
    return page;
  }

  private later(fn: () => void, ms = 0) {
    const id = ++this.timerIds;
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        if (this.closed) return;
        try {
          fn();
        } catch (err) {
          this.fail(describe(err));
        }
      }, ms),
    );
  }

  private async until(done: () => boolean, maxMs: number) {
    const end = Date.now() + maxMs;
    while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  }

  /** Waits until no request is in flight and nothing happened for a while. */
  private async settle(quiet = this.opts.quietMs ?? 150) {
    const max = this.opts.maxWaitMs ?? 8000;
    await this.until(() => this.inflight === 0 && Date.now() - this.lastActivity >= quiet, max);
    if (this.inflight > 0) this.fail(`${this.inflight} request(s) still in flight after ${max} ms`);
  }

  close() {
    this.closed = true;
    process.off('unhandledRejection', this.onRejection);
    for (const h of this.timers.values()) clearTimeout(h);
    this.timers.clear();
    for (const a of this.aborts) a.abort();
  }

  // ---- wx ----------------------------------------------------------------------------------------------------

  private selectorQuery(api: string) {
    const q: Record<string, unknown> = {};
    const node = () => ({ boundingClientRect: () => q, scrollOffset: () => q, fields: () => q, node: () => q, context: () => q });
    Object.assign(q, {
      in: () => q,
      select: node,
      selectAll: node,
      selectViewport: node,
      exec: (cb?: (r: unknown) => void) => {
        this.wxCalls.push({ api: `${api}().exec`, arg: null });
        if (typeof cb === 'function') this.later(() => cb(this.toCtx([])));
      },
    });
    return q;
  }

  private makeWx(guard: <A extends unknown[]>(fn: (...a: A) => unknown) => (...a: A) => void) {
    const record = (api: string, arg: unknown) => {
      let copy: unknown = arg;
      try {
        copy = arg === undefined ? undefined : JSON.parse(JSON.stringify(arg));
      } catch {
        /* keep as is */
      }
      this.wxCalls.push({ api, arg: copy });
    };
    type Cb = { success?: (r: unknown) => void; fail?: (r: unknown) => void; complete?: (r: unknown) => void };
    const answer = (o: Cb | undefined, ok: boolean, res: Record<string, unknown>) => {
      this.later(() => {
        const r = this.toCtx(res);
        guard(() => (ok ? o?.success?.(r) : o?.fail?.(r)))();
        guard(() => o?.complete?.(r))();
      });
    };
    /** An async API that records its call and succeeds with `result`. */
    const ok =
      (api: string, result: (o: Record<string, unknown>) => Record<string, unknown> = () => ({})) =>
      (o: Record<string, unknown> & Cb = {}) => {
        record(api, o);
        answer(o, true, { errMsg: `${api}:ok`, ...result(o) });
      };
    const noop =
      (api: string, ret?: () => unknown) =>
      (...args: unknown[]) => {
        record(api, args[0]);
        return ret?.();
      };

    const routeOf = (url: unknown) =>
      String(url ?? '')
        .replace(/^\//, '')
        .split('?')[0]!;
    const pages = new Set(allPages(this.app));
    const tabs = new Set((this.app.tabBar?.list ?? []).map((t) => t.pagePath));
    const nav =
      (api: string, toTab: boolean | null) =>
      (o: Record<string, unknown> & Cb = {}) => {
        record(api, o);
        const route = routeOf(o.url);
        let err = '';
        if (!pages.has(route)) err = `${api}:fail page "${route}" is not found`;
        else if (toTab === true && !tabs.has(route)) err = `${api}:fail can not switch to no-tabBar page`;
        else if (toTab === false && tabs.has(route)) err = `${api}:fail can not ${api} a tabbar page`;
        if (err) this.fail(`${err} (url ${String(o.url)})`);
        answer(o, !err, { errMsg: err || `${api}:ok` });
      };

    const window = {
      pixelRatio: 3,
      screenWidth: 390,
      screenHeight: 844,
      windowWidth: 390,
      windowHeight: 753,
      statusBarHeight: 47,
      screenTop: 0,
      safeArea: { left: 0, right: 390, top: 47, bottom: 810, width: 390, height: 763 },
    };
    const base = {
      SDKVersion: '3.6.0',
      enableDebug: false,
      host: { appId: 'wx0000000000000000' },
      language: 'zh_CN',
      version: '8.0.54',
      theme: 'light',
      fontSizeSetting: 17,
    };
    const device = { abi: 'arm64', brand: 'iPhone', model: 'iPhone 13', platform: 'ios', system: 'iOS 17.5', benchmarkLevel: 1 };
    const systemInfo = {
      ...window,
      ...base,
      ...device,
      fontSizeScaleFactor: 1,
      batteryLevel: 80,
      locationEnabled: true,
      wifiEnabled: true,
      cameraAuthorized: true,
      locationAuthorized: true,
      microphoneAuthorized: true,
      notificationAuthorized: true,
      bluetoothEnabled: false,
      deviceOrientation: 'portrait',
    };

    const wx: Record<string, unknown> = {
      env: this.toCtx({ USER_DATA_PATH: 'wxfile://usr' }),
      // Network: answered by the test server, whatever origin the build was compiled with.
      request: (
        o: Record<string, unknown> &
          Cb & { url?: string; method?: string; header?: Record<string, string>; data?: unknown; timeout?: number; dataType?: string },
      ) => {
        const method = String(o.method ?? 'GET').toUpperCase();
        const url = String(o.url ?? '');
        const m = /^(https?:\/\/[^/]+)?(\/.*)$/.exec(url);
        if (!m) {
          this.fail(`wx.request: "${url}" is not a URL`);
          answer(o, false, { errMsg: 'request:fail invalid url' });
          return { abort() {} };
        }
        if (!m[1])
          this.notes.add(
            `the build calls the API at relative URLs (/api/…), answered here by the test server: the weapp build was compiled without TARO_APP_API_BASE; WeChat needs an absolute https:// URL on a registered domain`,
          );
        else if (!m[1].startsWith('https://')) this.notes.add(`the build calls the API over ${m[1]} (WeChat accepts only https:// on a real device)`);
        let target = this.opts.apiOrigin + m[2]!;
        let body: string | undefined;
        if (o.data !== undefined && o.data !== null) {
          if (method === 'GET') {
            const qs = Object.entries(o.data as Record<string, unknown>)
              .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
              .join('&');
            if (qs) target += (target.includes('?') ? '&' : '?') + qs;
          } else body = typeof o.data === 'string' ? o.data : JSON.stringify(o.data);
        }
        const rec: RequestRecord = { method, path: target.slice(this.opts.apiOrigin.length), status: 0, ms: 0 };
        this.requests.push(rec);
        this.inflight++;
        this.lastActivity = Date.now();
        const ac = new AbortController();
        this.aborts.add(ac);
        const t0 = Date.now();
        const timeout = setTimeout(() => ac.abort(), o.timeout ?? 60_000);
        fetch(target, { method, headers: o.header ?? {}, body, signal: ac.signal })
          .then(
            async (res) => {
              const text = await res.text();
              rec.status = res.status;
              let data: unknown = text;
              if ((o.dataType ?? 'json') === 'json') {
                try {
                  data = this.ctxJSON.parse(text);
                } catch {
                  /* WeChat hands over the text */
                }
              }
              const header: Record<string, string> = {};
              res.headers.forEach((v, k) => {
                header[k] = v;
              });
              const r = { data, statusCode: res.status, header: this.toCtx(header), cookies: this.toCtx([]), errMsg: 'request:ok' };
              guard(() => o.success?.(r))();
              guard(() => o.complete?.(r))();
            },
            (err: unknown) => {
              const r = this.toCtx({ errMsg: `request:fail ${err instanceof Error ? err.message : String(err)}` });
              guard(() => o.fail?.(r))();
              guard(() => o.complete?.(r))();
            },
          )
          .finally(() => {
            clearTimeout(timeout);
            this.aborts.delete(ac);
            rec.ms = Date.now() - t0;
            this.inflight--;
            this.lastActivity = Date.now();
          });
        return { abort: () => ac.abort(), onHeadersReceived() {}, offHeadersReceived() {}, onChunkReceived() {}, offChunkReceived() {} };
      },
      uploadFile: ok('uploadFile', () => ({ data: '{}', statusCode: 200 })),
      downloadFile: ok('downloadFile', () => ({ tempFilePath: 'wxfile://tmp/download', statusCode: 200 })),

      // Storage: in memory, values kept as JSON like WeChat does.
      getStorageSync: (key: string) => {
        const v = this.storage.get(key);
        return v === undefined ? '' : this.ctxJSON.parse(v as string);
      },
      setStorageSync: (key: string, value: unknown) => {
        this.storage.set(key, JSON.stringify(value));
      },
      removeStorageSync: (key: string) => {
        this.storage.delete(key);
      },
      clearStorageSync: () => this.storage.clear(),
      getStorageInfoSync: () => this.toCtx({ keys: [...this.storage.keys()], currentSize: 1, limitSize: 10240 }),
      getStorage: (o: Cb & { key: string } = { key: '' }) => {
        const v = this.storage.get(o.key);
        answer(o, v !== undefined, v === undefined ? { errMsg: 'getStorage:fail data not found' } : { errMsg: 'getStorage:ok', data: JSON.parse(v as string) });
      },
      setStorage: (o: Cb & { key: string; data: unknown }) => {
        this.storage.set(o.key, JSON.stringify(o.data));
        answer(o, true, { errMsg: 'setStorage:ok' });
      },
      removeStorage: (o: Cb & { key: string }) => {
        this.storage.delete(o.key);
        answer(o, true, { errMsg: 'removeStorage:ok' });
      },
      clearStorage: ok('clearStorage'),

      // Device and app information.
      getSystemInfoSync: () => this.toCtx(systemInfo),
      getSystemInfo: ok('getSystemInfo', () => systemInfo),
      getSystemInfoAsync: ok('getSystemInfoAsync', () => systemInfo),
      getWindowInfo: () => this.toCtx(window),
      getAppBaseInfo: () => this.toCtx(base),
      getDeviceInfo: () => this.toCtx(device),
      getSystemSetting: () => this.toCtx({ bluetoothEnabled: false, locationEnabled: true, wifiEnabled: true, deviceOrientation: 'portrait' }),
      getAppAuthorizeSetting: () =>
        this.toCtx({ albumAuthorized: 'authorized', cameraAuthorized: 'authorized', locationAuthorized: 'authorized', notificationAuthorized: 'authorized' }),
      getAccountInfoSync: () => this.toCtx({ miniProgram: { appId: 'wx0000000000000000', envVersion: 'develop', version: '' } }),
      getLaunchOptionsSync: () => this.toCtx({ path: '', query: {}, scene: 1001, referrerInfo: {} }),
      getEnterOptionsSync: () => this.toCtx({ path: '', query: {}, scene: 1001, referrerInfo: {} }),
      getMenuButtonBoundingClientRect: () => this.toCtx({ width: 87, height: 32, top: 51, right: 381, bottom: 83, left: 294 }),
      getNetworkType: ok('getNetworkType', () => ({ networkType: 'wifi' })),
      getSetting: ok('getSetting', () => ({ authSetting: {} })),
      canIUse: () => true,
      nextTick: (fn: () => void) => this.later(fn),
      createSelectorQuery: () => this.selectorQuery('createSelectorQuery'),
      createIntersectionObserver: () => ({
        relativeTo() {
          return this;
        },
        relativeToViewport() {
          return this;
        },
        observe() {},
        disconnect() {},
      }),
      getUpdateManager: () => ({ onCheckForUpdate() {}, onUpdateReady() {}, onUpdateFailed() {}, applyUpdate() {} }),
      getLogManager: () => ({ log() {}, info() {}, warn() {}, debug() {} }),
      getRealtimeLogManager: () => ({
        info() {},
        warn() {},
        error() {},
        setFilterMsg() {},
        addFilterMsg() {},
        in() {
          return this;
        },
      }),
      reportAnalytics: noop('reportAnalytics'),
      reportEvent: noop('reportEvent'),

      // Sign-in and privacy.
      login: ok('login', () => ({ code: 'weapp-smoke-code' })),
      checkSession: ok('checkSession'),
      getPrivacySetting: ok('getPrivacySetting', () => ({ needAuthorization: false, privacyContractName: '《村居通隐私保护指引》' })),
      requirePrivacyAuthorize: ok('requirePrivacyAuthorize'),
      openPrivacyContract: ok('openPrivacyContract'),
      requestSubscribeMessage: ok('requestSubscribeMessage', () => ({})),
      authorize: ok('authorize'),
      openSetting: ok('openSetting', () => ({ authSetting: {} })),

      // UI: recorded, answered with the "cancel"/neutral choice.
      showToast: ok('showToast'),
      hideToast: ok('hideToast'),
      showLoading: ok('showLoading'),
      hideLoading: ok('hideLoading'),
      showModal: ok('showModal', () => ({ confirm: false, cancel: true, content: '' })),
      showActionSheet: (o: Cb = {}) => {
        record('showActionSheet', o);
        answer(o, false, { errMsg: 'showActionSheet:fail cancel' });
      },
      setNavigationBarTitle: ok('setNavigationBarTitle'),
      setNavigationBarColor: ok('setNavigationBarColor'),
      showNavigationBarLoading: ok('showNavigationBarLoading'),
      hideNavigationBarLoading: ok('hideNavigationBarLoading'),
      setBackgroundColor: ok('setBackgroundColor'),
      setBackgroundTextStyle: ok('setBackgroundTextStyle'),
      startPullDownRefresh: ok('startPullDownRefresh'),
      stopPullDownRefresh: ok('stopPullDownRefresh'),
      pageScrollTo: ok('pageScrollTo'),
      showTabBar: ok('showTabBar'),
      hideTabBar: ok('hideTabBar'),
      setTabBarStyle: ok('setTabBarStyle'),
      setTabBarItem: ok('setTabBarItem'),
      setTabBarBadge: ok('setTabBarBadge'),
      removeTabBarBadge: ok('removeTabBarBadge'),
      showTabBarRedDot: ok('showTabBarRedDot'),
      hideTabBarRedDot: ok('hideTabBarRedDot'),
      hideHomeButton: ok('hideHomeButton'),
      showShareMenu: ok('showShareMenu'),
      hideShareMenu: ok('hideShareMenu'),
      hideKeyboard: ok('hideKeyboard'),
      loadFontFace: ok('loadFontFace'),
      vibrateShort: ok('vibrateShort'),
      vibrateLong: ok('vibrateLong'),
      setKeepScreenOn: ok('setKeepScreenOn'),

      // Navigation: checked against app.json the way WeChat checks it, not performed.
      navigateTo: nav('navigateTo', false),
      redirectTo: nav('redirectTo', false),
      reLaunch: nav('reLaunch', null),
      switchTab: nav('switchTab', true),
      navigateBack: ok('navigateBack'),
      navigateToMiniProgram: ok('navigateToMiniProgram'),
      exitMiniProgram: ok('exitMiniProgram'),

      // Device features used by the app: recorded, answered with plausible results.
      makePhoneCall: ok('makePhoneCall'),
      scanCode: ok('scanCode', () => ({ result: '', scanType: 'QR_CODE', charSet: 'utf-8', path: '' })),
      setClipboardData: ok('setClipboardData'),
      getClipboardData: ok('getClipboardData', () => ({ data: '' })),
      chooseImage: ok('chooseImage', () => ({ tempFilePaths: [], tempFiles: [] })),
      chooseMedia: ok('chooseMedia', () => ({ tempFiles: [], type: 'image' })),
      previewImage: ok('previewImage'),
      saveImageToPhotosAlbum: ok('saveImageToPhotosAlbum'),
      getImageInfo: ok('getImageInfo', () => ({ width: 100, height: 100, path: '', type: 'png' })),
      compressImage: ok('compressImage', () => ({ tempFilePath: '' })),
      openDocument: ok('openDocument'),
      getLocation: ok('getLocation', () => ({ latitude: 28.2, longitude: 112.9, accuracy: 30 })),
      openLocation: ok('openLocation'),
      chooseLocation: ok('chooseLocation', () => ({ name: '', address: '', latitude: 0, longitude: 0 })),
      getFileSystemManager: () => ({ readFile() {}, writeFile() {}, readFileSync: () => '', writeFileSync() {}, access() {}, accessSync() {} }),
    };
    // Event registrations (wx.onX/offX): recorded no-ops; the privacy one is remembered like WeChat does.
    for (const ev of [
      'onAppShow',
      'onAppHide',
      'onError',
      'onUnhandledRejection',
      'onPageNotFound',
      'onThemeChange',
      'onNetworkStatusChange',
      'onMemoryWarning',
      'onWindowResize',
      'onKeyboardHeightChange',
      'onNeedPrivacyAuthorization',
      'onAudioInterruptionBegin',
      'onLazyLoadError',
      'onBeforeAppRoute',
      'onAppRoute',
      'onAppRouteDone',
      'onAfterPageLoad',
      'onAfterPageUnload',
      'onBeforePageLoad',
      'onBeforePageUnload',
    ]) {
      wx[ev] = noop(ev);
      wx[ev.replace(/^on/, 'off')] = noop(ev.replace(/^on/, 'off'));
    }
    return wx;
  }
}

/** WeChat's setData path syntax: `a.b[0].c`, and Taro's `root.cn.[0]`. */
export function setPath(target: Record<string, unknown>, p: string, value: unknown) {
  const keys = [...p.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
  let cur: Record<string | number, unknown> = target;
  keys.forEach((k, i) => {
    if (i === keys.length - 1) {
      cur[k] = value;
      return;
    }
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = typeof keys[i + 1] === 'number' ? [] : {};
    cur = cur[k] as Record<string | number, unknown>;
  });
}

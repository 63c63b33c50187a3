import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * Accessibility checks for the browser journeys, computed from the rendered H5 page:
 * - runAxe: axe-core's critical and serious violations (what a screen reader or a keyboard user trips on);
 * - measureElder: the MIIT 2021 适老化 figures for 长辈版 (text ≥ 18 px, line height ≥ 1.3, contrast ≥ 4.5:1 or
 *   3:1 from 24 px, tap targets ≥ 60×60 px), measured on every visible element of the page on top.
 */

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Drawn by Taro itself for what WeChat draws natively (toast, showModal, action sheet, the loading veil, the
 * picker's wheel, the navigation bar), so in WeChat they follow WeChat's own accessibility and 关怀模式 rather
 * than ours; nothing of ours is in this list. Both checks leave them out (a toast fading out was measured by
 * axe mid-animation, white on a half-transparent grey).
 */
export const DRAWN_BY_WECHAT = ['.taro__toast', '.taro__modal', '.taro__actionSheet', '.taro__loading', '.taro-navigation-bar', '.weui-picker', '.weui-mask'];

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** axe-core on the page as it is now; only critical and serious violations. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  // page.addScriptTag({ content }) would be an inline script, which the server's Content-Security-Policy
  // rightly refuses; evaluating the same source through the DevTools protocol is not subject to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async (drawnByWechat) => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown,
          ) => Promise<{
            violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }>;
          }>;
        };
      }
    ).axe;
    // Taro keeps earlier pages in the DOM, hidden (display: none), and axe skips hidden content by itself.
    const r = await axe.run({ exclude: drawnByWechat.map((s) => [s]) }, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => ({
        id: v.id,
        impact: v.impact!,
        help: v.help,
        nodes: v.nodes
          .slice(0, 5)
          .map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.split('\n').slice(1, 2).join('').trim()}` : ''}`),
      }));
  }, DRAWN_BY_WECHAT);
}

/** Human-readable lines for a failed expectation. */
export function describeViolations(where: string, v: AxeViolation[]): string {
  return v.map((x) => `${where}: ${x.impact} ${x.id} (${x.help})\n    ${x.nodes.join('\n    ')}`).join('\n');
}

/** Fails with every critical/serious axe violation listed; `where` names the page in the message. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const v = await runAxe(page);
  if (v.length) throw new Error(`axe-core found ${v.length} critical/serious violation(s)\n${describeViolations(where, v)}`);
}

export interface ElderCheck {
  total: number;
  failures: string[];
}
export interface ElderReport {
  text: ElderCheck;
  lineHeight: ElderCheck;
  contrast: ElderCheck;
  targets: ElderCheck;
}

export const ELDER = { fontPx: 18, lineHeight: 1.3, contrast: 4.5, largeTextContrast: 3, largeTextPx: 24, targetPx: 60 } as const;

/** Share of elements that meet a rule, for reports. */
export const share = (c: ElderCheck) => (c.total ? 1 - c.failures.length / c.total : 1);

/**
 * The 长辈版 figures for every visible element of the page on top (and whatever is drawn above it: the tab
 * bar, a dialog). Sizes are CSS px on a 375 px wide phone viewport, the unit MIIT's dp/pt map to.
 */
export async function measureElder(page: Page): Promise<ElderReport> {
  return page.evaluate(
    (R) => {
      const ALLOW = R.drawnByWechat;
      const TARGETS = [
        'button',
        'taro-button-core',
        '[role=button]',
        '[role=link]',
        '[role=tab]',
        '[role=switch]',
        '[role=checkbox]',
        '[role=radio]',
        'a[href]',
        'input:not([type=hidden])',
        'textarea',
        'select',
        '.tab',
        '.chip',
        '.weui-switch',
        '.weui-tabbar__item',
      ].join(',');
      const allowed = (el: Element) => ALLOW.some((s) => el.closest(s));
      // Anything the app listens to a tap on is a tap target too (a tappable list row, a chip, a link in text):
      // Taro's H5 components keep their listeners on the element, under __events.
      const tappable = (el: Element) => {
        const events = (el as Element & { __events?: Record<string, unknown> }).__events;
        return !!(events && (events.click || events.tap));
      };
      const visible = (el: Element) => {
        const r = el.getBoundingClientRect();
        if (r.width < 1 || r.height < 1) return false;
        return (el as Element & { checkVisibility?: (o: object) => boolean }).checkVisibility?.({ visibilityProperty: true, opacityProperty: true }) ?? true;
      };
      const name = (el: Element) => {
        const cls = typeof el.className === 'string' ? el.className.trim().split(/\s+/).slice(0, 3).join('.') : '';
        const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 24);
        return `<${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''}> "${text}"`;
      };

      // The page on top: Taro H5 keeps earlier pages in the DOM, hidden.
      const pages = [...document.querySelectorAll('.taro_page')].filter(visible);
      const top = pages[pages.length - 1] ?? document.body;
      const roots: Element[] = [top, ...document.querySelectorAll('.mask, .custom-tab-bar, .taro-tabbar__tabbar')].filter(
        (r, i, a) => a.indexOf(r) === i && visible(r),
      );
      // Elements inside top already counted through top.
      const all = new Set<Element>();
      for (const r of roots) {
        all.add(r);
        for (const e of r.querySelectorAll('*')) all.add(e);
      }

      type RGBA = [number, number, number, number];
      const parse = (c: string): RGBA => {
        const m = c.match(/rgba?\(([^)]+)\)/);
        if (!m) return [0, 0, 0, 0];
        const p = (m[1] ?? '')
          .split(/[ ,/]+/)
          .filter(Boolean)
          .map(Number);
        return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 1];
      };
      const over = (fg: RGBA, bg: RGBA): RGBA => {
        const a = fg[3] + bg[3] * (1 - fg[3]);
        if (a === 0) return [0, 0, 0, 0];
        return ([0, 1, 2] as const).map((i) => (fg[i] * fg[3] + bg[i] * bg[3] * (1 - fg[3])) / a).concat(a) as RGBA;
      };
      const lum = (c: RGBA) => {
        const f = (v: number) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
      };
      /** The colour behind el, composited from the page canvas up; null where an image or gradient is behind it. */
      const backgroundOf = (el: Element): RGBA | null => {
        const chain: Element[] = [];
        for (let e: Element | null = el; e; e = e.parentElement) chain.push(e);
        let bg: RGBA = [255, 255, 255, 1];
        for (const e of chain.reverse()) {
          const s = getComputedStyle(e);
          if (s.backgroundImage !== 'none' && e !== document.documentElement && e !== document.body) {
            if (!s.backgroundImage.startsWith('url(')) return null;
          }
          const c = parse(s.backgroundColor);
          c[3] *= Number(s.opacity);
          bg = over(c, bg);
        }
        return bg;
      };
      const opacityOf = (el: Element) => {
        let o = 1;
        for (let e: Element | null = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
        return o;
      };

      const report = {
        text: { total: 0, failures: [] as string[] },
        lineHeight: { total: 0, failures: [] as string[] },
        contrast: { total: 0, failures: [] as string[] },
        targets: { total: 0, failures: [] as string[] },
      };
      for (const el of all) {
        if (allowed(el) || !visible(el)) continue;
        const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim());
        // Placeholders are text too: an input's own font is what its placeholder is drawn in.
        const placeholder = (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) && !el.value && el.placeholder;
        if (ownText || placeholder) {
          const s = getComputedStyle(el);
          const fs = parseFloat(s.fontSize);
          report.text.total++;
          if (fs < R.fontPx - 0.01) report.text.failures.push(`${name(el)} ${fs.toFixed(1)}px`);
          report.lineHeight.total++;
          const lh = s.lineHeight === 'normal' ? 1.2 : parseFloat(s.lineHeight) / fs;
          if (lh < R.lineHeight - 0.01) report.lineHeight.failures.push(`${name(el)} ${lh.toFixed(2)}`);
          const bg = backgroundOf(el);
          const color = parse(placeholder ? getComputedStyle(el, '::placeholder').color : s.color);
          if (bg) {
            color[3] *= opacityOf(el);
            const fg = over(color, bg);
            const l1 = lum(fg),
              l2 = lum(bg);
            const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
            const need = fs >= R.largeTextPx ? R.largeTextContrast : R.contrast;
            report.contrast.total++;
            if (ratio < need - 0.005) report.contrast.failures.push(`${name(el)} ${ratio.toFixed(2)}:1 (needs ${need}:1)`);
          }
        }
        if (el.matches(TARGETS) || tappable(el)) {
          // An input is drawn inside Taro's wrapper; the wrapper is what the finger hits.
          const box = (
            el.matches('input, textarea') && el.parentElement?.matches('taro-input-core, taro-textarea-core') ? el.parentElement : el
          ).getBoundingClientRect();
          report.targets.total++;
          if (box.width < R.targetPx - 0.5 || box.height < R.targetPx - 0.5)
            report.targets.failures.push(`${name(el)} ${Math.round(box.width)}×${Math.round(box.height)}`);
        }
      }
      return report;
    },
    { ...ELDER, drawnByWechat: DRAWN_BY_WECHAT },
  );
}

/** Fails with every element that breaks a 长辈版 rule. */
export async function expectElderFriendly(page: Page, where: string): Promise<ElderReport> {
  const r = await measureElder(page);
  const lines = (Object.keys(r) as (keyof ElderReport)[]).flatMap((k) => r[k].failures.map((f) => `${where}: ${k} ${f}`));
  if (lines.length)
    throw new Error(`长辈版 rules broken on ${where}:\n${lines.slice(0, 40).join('\n')}${lines.length > 40 ? `\n… and ${lines.length - 40} more` : ''}`);
  return r;
}

/**
 * Dates as residents read them: Asia/Shanghai (UTC+8 all year, no daylight saving), whatever the time zone
 * of the phone, the server or the test machine. The one place that does this arithmetic; zod-free, so the
 * mini-program, the API, scripts and tests all import it.
 */
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** Calendar fields of an instant in Asia/Shanghai (month 1–12, weekday 0 = Sunday). */
export function shanghai(at: Date | string | number = Date.now()) {
  const s = new Date(new Date(at).getTime() + OFFSET_MS);
  return {
    year: s.getUTCFullYear(),
    month: s.getUTCMonth() + 1,
    day: s.getUTCDate(),
    hour: s.getUTCHours(),
    minute: s.getUTCMinutes(),
    weekday: s.getUTCDay(),
  };
}

/** YYYY-MM-DD in Asia/Shanghai, optionally some days later (or earlier). */
export function shanghaiDate(at: Date | string | number = Date.now(), addDays = 0): string {
  const p = shanghai(new Date(at).getTime() + addDays * DAY_MS);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** YYYY-MM in Asia/Shanghai, optionally some months later (or earlier). */
export function shanghaiMonth(at: Date | string | number = Date.now(), addMonths = 0): string {
  const p = shanghai(at);
  const i = p.year * 12 + (p.month - 1) + addMonths;
  return `${Math.floor(i / 12)}-${pad((i % 12) + 1)}`;
}

/** YYYY-MM-DD HH:mm in Asia/Shanghai. */
export function shanghaiDateTime(at: Date | string | number): string {
  const p = shanghai(at);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** HH:mm in Asia/Shanghai. */
export function shanghaiTime(at: Date | string | number): string {
  const p = shanghai(at);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** JSON-line logs. Never log personal data: no names, phone numbers, openids, tokens or request bodies. */
export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: Level, msg: string, fields?: Record<string, unknown>) => void;

const order: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(min: Level | 'silent' = 'info', write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  return (level, msg, fields) => {
    if (order[level] < order[min]) return;
    write(JSON.stringify({ ts: new Date().toISOString(), level, msg, ...fields }));
  };
}

/** bunyan's numeric levels, as people read them. */
const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** bunyan's own fields: shown as time, level and message, or not at all. */
const CORE_FIELDS = new Set(['name', 'hostname', 'pid', 'level', 'msg', 'time', 'v']);

/** A value as it reads in `key=value`: bare when it has no space or quote, else JSON. */
function shown(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === 'object' && value !== null) {
    const error = value as { message?: unknown; name?: unknown; stack?: unknown };
    // bunyan's err serializer: the message is what people need, never the stack.
    if (typeof error.message === 'string' && typeof error.stack === 'string') return JSON.stringify(error.message);
    return JSON.stringify(value);
  }
  const text = typeof value === 'string' ? value : String(value);
  return /^[^\s"=\\]+$/.test(text) ? text : JSON.stringify(text);
}

/** One bunyan record as one readable line: time, level, message, then the record's own fields. */
export function textLogLine(record: Readonly<Record<string, unknown>>): string {
  const time = record['time'] instanceof Date ? record['time'].toISOString() : String(record['time']);
  const level = LEVEL_NAMES[Number(record['level'])] ?? String(record['level']);
  const fields = Object.entries(record)
    .filter(([key, value]) => !CORE_FIELDS.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${shown(value)}`);
  const message = JSON.stringify(String(record['msg'] ?? '')).slice(1, -1);
  return `${time} ${level.padEnd(5)} ${message}${fields.length === 0 ? '' : ` ${fields.join(' ')}`}\n`;
}

import { z } from 'zod';
import { isValidHost, parseAddress } from '../domain/address';
import { parseTagAssignment, tagsProblem } from '../domain/tags';
import { ConfigurationError } from '../application/configuration.error';
import { OPTION_DEFAULTS } from './config-defaults';

/**
 * Every option of the node, validated in one place: the CLI (flags, YAML file,
 * LOG_LEVEL) and the embedding API both hand their raw input to
 * `parseNodeConfig`. Durations are in seconds, fractions allowed.
 */

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'off'] as const;

export const OUTPUT_FORMATS = ['text', 'json'] as const;

export const LOG_FORMATS = ['text', 'json'] as const;

/**
 * Node.js timers hold at most 2^31 - 1 ms; a longer delay fires at once.
 * Every duration becomes a timer somewhere, so none may exceed this.
 */
const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Flags and environment variables are text: accept "0.2" as well as 0.2. */
function numberFromText(value: unknown): unknown {
  return typeof value === 'string' && NUMBER_TEXT.test(value.trim()) ? Number(value) : value;
}

const secondsMessage = 'must be a number of seconds greater than 0';

const seconds = z.preprocess<unknown, z.ZodNumber, number | string>(
  numberFromText,
  z
    .number({ error: secondsMessage })
    .positive({ error: secondsMessage })
    .max(MAX_SECONDS, { error: `must be at most ${MAX_SECONDS} seconds (about 24 days)` }),
);

const portMessage = 'must be an integer from 0 to 65535';

const port = z.preprocess<unknown, z.ZodNumber, number | string>(
  numberFromText,
  z
    .number({ error: portMessage })
    .int({ error: portMessage })
    .min(0, { error: portMessage })
    .max(65535, { error: portMessage }),
);

const hostMessage = 'must be an IP address or host name';

const path = z.string({ error: 'must be a path' }).min(1, { error: 'must be a path' });

const address = z.string({ error: 'must be host:port' }).transform((text, context) => {
  const parsed = parseAddress(text);
  if (parsed === undefined) {
    context.addIssue({ code: 'custom', message: 'must be host:port' });
    return z.NEVER;
  }
  return parsed;
});

const adminMessage = 'must be host:port (port 0 picks a free one)';

/** `--admin`: like an address, but port 0 is allowed (a free one is picked). */
const adminAddress = z.string({ error: adminMessage }).transform((text, context) => {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  const portNumber = Number(match?.[3]);
  if (host === undefined || !isValidHost(host) || !(portNumber >= 0 && portNumber <= 65535)) {
    context.addIssue({ code: 'custom', message: adminMessage });
    return z.NEVER;
  }
  return { host, port: portNumber };
});

const tagsMessage = 'must be KEY=VALUE (or, in a file, a mapping of keys to text values)';

/** `--tag K=V` arrives as a list of assignments, the file's `tags:` as a mapping. */
const tags = z
  .preprocess(
    (value, context) => {
      if (!Array.isArray(value)) return value;
      const entries: Record<string, string> = {};
      for (const item of value as unknown[]) {
        const entry = typeof item === 'string' ? parseTagAssignment(item) : undefined;
        if (entry === undefined) {
          context.addIssue({ code: 'custom', message: `must be KEY=VALUE (got ${showValue(item)})`, params: { showValue: false } });
          return z.NEVER;
        }
        entries[entry.key] = entry.value;
      }
      return entries;
    },
    z.record(z.string(), z.string({ error: tagsMessage }), { error: tagsMessage }),
  )
  .superRefine((value, context) => {
    const problem = tagsProblem(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem, params: { showValue: false } });
  });

/** Where the admin API may be served without a token: only this machine can reach it. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The options one by one; `nodeConfigSchema` adds the checks across them. */
export const nodeConfigFields = z
  .object(
    {
      // Every default comes from OPTION_DEFAULTS (the protocol's timings from PROTOCOL_DEFAULTS, which says why).
      period: seconds.default(OPTION_DEFAULTS.period),
      port: port.default(OPTION_DEFAULTS.port),
      host: z
        .string({ error: hostMessage })
        .refine(isValidHost, { error: hostMessage })
        .default(OPTION_DEFAULTS.host),
      advertise: address.optional(),
      connect: z.array(address, { error: 'must be a list of host:port' }).default([]),
      key: path.optional(),
      cert: path.optional(),
      heartbeatInterval: seconds.default(OPTION_DEFAULTS.heartbeatInterval),
      deadAfter: seconds.default(OPTION_DEFAULTS.deadAfter),
      dataDir: path.optional(),
      output: z.enum(OUTPUT_FORMATS, { error: 'must be text or json' }).default(OPTION_DEFAULTS.output),
      logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default(OPTION_DEFAULTS.logLevel),
      // One key file, or several while a key is rotated (the first proves, any one admits).
      networkKey: z
        .union([path, z.array(path).min(1, { error: 'must be a path or a non-empty list of paths' })], {
          error: 'must be a path or a list of paths',
        })
        .optional(),
      allow: path.optional(),
      reconnectMax: seconds.default(OPTION_DEFAULTS.reconnectMax),
      reconnectTimeout: seconds.default(OPTION_DEFAULTS.reconnectTimeout),
      admin: adminAddress.optional(),
      adminToken: path.optional(),
      tags: tags.default({}),
      // Decided by the CLI when absent: readable lines on a terminal, JSON for machines.
      logFormat: z.enum(LOG_FORMATS, { error: 'must be text or json' }).optional(),
    },
    { error: 'must be a mapping of option names to values' },
  )
  .strict();

type CheckedTogether = Pick<NodeConfig, 'deadAfter' | 'heartbeatInterval' | 'key' | 'cert' | 'admin' | 'adminToken'>;

/** The checks across options, for every schema built on `nodeConfigFields`. */
export function checkOptionsTogether(config: CheckedTogether, context: z.RefinementCtx<CheckedTogether>): void {
  if (config.admin !== undefined && config.adminToken === undefined && !isLoopbackHost(config.admin.host)) {
    context.addIssue({
      code: 'custom',
      path: ['adminToken'],
      message: `must be given when {other} is not a loopback address (got ${config.admin.host})`,
      params: { other: 'admin' },
    });
  }
  if (config.adminToken !== undefined && config.admin === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['adminToken'],
      message: 'must be given together with {other}: without the admin API it would protect nothing',
      params: { other: 'admin' },
    });
  }
  if (config.deadAfter <= config.heartbeatInterval) {
    context.addIssue({
      code: 'custom',
      path: ['deadAfter'],
      message: `must be greater than {other}, ${config.heartbeatInterval} s (got ${config.deadAfter})`,
      params: { other: 'heartbeatInterval' },
    });
  }
  if ((config.key === undefined) !== (config.cert === undefined)) {
    const [given, missing] = config.key === undefined ? ['cert', 'key'] : ['key', 'cert'];
    context.addIssue({
      code: 'custom',
      path: [given],
      message: 'must be given together with {other}',
      params: { other: missing },
    });
  }
}

export const nodeConfigSchema = nodeConfigFields.superRefine(checkOptionsTogether);

export type NodeConfig = z.output<typeof nodeConfigSchema>;

/** What callers may pass: every key optional, numbers also as text. */
export type NodeConfigInput = z.input<typeof nodeConfigSchema>;

export type LogLevel = NodeConfig['logLevel'];

export type OutputFormat = NodeConfig['output'];

/** Names an option for the user, as they gave it: `--period`, `config.yaml: port`. */
export type DescribeOption = (path: readonly PropertyKey[]) => string;

export const DEFAULT_CONFIG: Readonly<NodeConfig> = nodeConfigSchema.parse({});

/** Parses untrusted input; throws a ConfigurationError whose message is one line naming the option. */
export function parseNodeConfig(raw: unknown, describe: DescribeOption): NodeConfig {
  const result = checkNodeConfig(raw, describe);
  if (result.ok) return result.config;
  throw new ConfigurationError(result.problems[0] ?? 'invalid configuration');
}

export type NodeConfigCheck = { readonly ok: true; readonly config: NodeConfig } | { readonly ok: false; readonly problems: readonly string[] };

/** Every problem of untrusted input, one line each, or the parsed config. */
export function checkNodeConfig(raw: unknown, describe: DescribeOption): NodeConfigCheck {
  const result = nodeConfigSchema.safeParse(raw);
  if (result.success) return { ok: true, config: result.data };
  const problems = result.error.issues.map((issue) => explainIssue(issue, raw, describe));
  return { ok: false, problems: problems.length > 0 ? problems : ['invalid configuration'] };
}

/** One line naming the option and what is wrong with it, with the value given. */
export function explainIssue(issue: z.core.$ZodIssue, raw: unknown, describe: DescribeOption): string {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return `${describe([...issue.path, key])}: unknown key${suggestKey(key)}`;
  }
  const label = describe(issue.path);
  // Checks across two options name the other one and show their own values.
  const other = issue.code === 'custom' ? (issue.params as { other?: string } | undefined)?.other : undefined;
  if (other !== undefined) return `${label}: ${issue.message.replace('{other}', describe([other]))}`;
  const given = valueAt(raw, issue.path);
  // A check that names what is wrong inside a mapping (the tags) asks not to show it: "got a mapping" would say nothing.
  const quiet = issue.code === 'custom' && (issue.params as { showValue?: boolean } | undefined)?.showValue === false;
  const shown = given === undefined || quiet ? '' : ` (got ${showValue(given)})`;
  return `${label}: ${issue.message}${shown}`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const MAX_SHOWN_LENGTH = 60;

function showValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  // JSON has no Infinity or NaN: YAML's .inf would show as null.
  const shown = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  return shown.length > MAX_SHOWN_LENGTH ? `${shown.slice(0, MAX_SHOWN_LENGTH)}…` : shown;
}

/** `dead-after` and `dead_after` are the likely slips for `deadAfter`. */
function suggestKey(key: string): string {
  const folded = key.replace(/[-_]/g, '').toLowerCase();
  const match = Object.keys(nodeConfigSchema.shape).find((known) => known.toLowerCase() === folded);
  return match === undefined ? '' : ` (did you mean ${match}?)`;
}

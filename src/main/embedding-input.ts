import { z } from 'zod';
import type { Clock } from '../application/ports/clock.port';
import type { KeyStore } from '../application/ports/key-store.port';
import type { Logger } from '../application/ports/logger.port';
import type { Output } from '../application/ports/output.port';
import type { PeerStore } from '../application/ports/peer-store.port';
import type { Random } from '../application/ports/random.port';
import type { Transport } from '../application/ports/transport.port';
import { type Identity, parseIdentity } from '../domain/identity';
import { checkOptionsTogether, explainIssue, nodeConfigFields } from './config';

/** Adapters a host may bring instead of ours: `createNode(options, adapters)`. */
export interface NodeAdapters {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly random: Random;
  readonly keyStore: KeyStore;
  /** Sees every event, before the node's `on()` listeners. */
  readonly output: Output;
  readonly peerStore: PeerStore;
  /** Receives the records at `logLevel` and above. */
  readonly logger: Logger;
}

type AdapterName = keyof NodeAdapters;

/** Each adapter's port and the functions its shape must have: checked with the options, before anything runs. */
const ADAPTER_SHAPES: { readonly [Name in AdapterName]: { readonly port: string; readonly functions: readonly (keyof NodeAdapters[Name] & string)[] } } = {
  transport: { port: 'Transport', functions: ['listen', 'dial', 'send', 'close', 'shutdown'] },
  clock: { port: 'Clock', functions: ['now', 'setTimer', 'clearTimer'] },
  random: { port: 'Random', functions: ['next'] },
  keyStore: { port: 'KeyStore', functions: ['load'] },
  output: { port: 'Output', functions: ['emit'] },
  peerStore: { port: 'PeerStore', functions: ['load', 'remember', 'forget', 'flush'] },
  logger: { port: 'Logger', functions: ['trace', 'debug', 'info', 'warn', 'error'] },
};

const ADAPTER_NAMES = Object.keys(ADAPTER_SHAPES) as AdapterName[];

/** An adapter is any value with the port's functions (a class instance, an object literal): it is passed on as it is. */
function adapterShape(name: AdapterName): z.ZodType<unknown> {
  const { port, functions } = ADAPTER_SHAPES[name];
  return z.unknown().superRefine((value, context) => {
    if (value === undefined) return;
    const holder = (typeof value === 'object' && value !== null) || typeof value === 'function' ? (value as Record<string, unknown>) : undefined;
    const missing = holder === undefined ? functions : functions.filter((method) => typeof holder[method] !== 'function');
    if (missing.length === 0) return;
    const lacking = holder === undefined ? '' : `; missing ${missing.join(', ')}`;
    context.addIssue({ code: 'custom', message: `must be a ${port} adapter, an object with the functions ${functions.join(', ')}${lacking}` });
  }).optional();
}

const adaptersSchema = z
  .object(Object.fromEntries(ADAPTER_NAMES.map((name) => [name, adapterShape(name)])) as Record<AdapterName, z.ZodType<unknown>>, {
    error: 'must be a mapping of adapter names to adapters',
  })
  .strict();

const IDENTITY_MESSAGE = 'must be an identity (64 hex digits)';
const ALLOW_MESSAGE = 'must be the path of an allowlist file or a list of identities';

const allowFile = z.string({ error: ALLOW_MESSAGE }).min(1, { error: ALLOW_MESSAGE });
const allowList = z.array(
  z.string({ error: IDENTITY_MESSAGE }).transform((text, context) => {
    const identity = parseIdentity(text);
    if (identity === undefined) context.addIssue({ code: 'custom', message: IDENTITY_MESSAGE });
    return identity ?? z.NEVER;
  }),
);

/** `allow`: the CLI's allowlist file, or (for a library) the identities themselves, each one checked. */
const allowOption = z.unknown().transform((value, context): string | Identity[] => {
  const result = Array.isArray(value) ? allowList.safeParse(value) : allowFile.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  return z.NEVER;
}) as unknown as z.ZodType<string | Identity[], string | readonly string[]>;

const AS_ADAPTER = 'is an adapter, not an option: pass it as createNode(options, { NAME })';

/** Adapter names given as options: refused with a pointer to the second argument, never ignored. */
const misplacedAdapters = Object.fromEntries(
  ADAPTER_NAMES.map((name) => {
    const hint =
      name === 'output'
        ? "; an embedded node writes no stdout, so the CLI's text or json format has no meaning here: use on() or an Output adapter"
        : name === 'logger'
          ? '; logLevel sets the level'
          : '';
    return [name, z.undefined({ error: `${AS_ADAPTER.replace('NAME', name)}${hint}` }).optional()];
  }),
) as Record<AdapterName, z.ZodOptional<z.ZodUndefined>>;

/** The CLI's options (same names, checks and defaults), less `output`, with `allow` also as a list. */
const embeddedOptionsSchema = nodeConfigFields
  .omit({ output: true, allow: true, logFormat: true })
  .extend({
    ...misplacedAdapters,
    allow: allowOption.optional(),
    // The CLI's stderr format: an embedded node has no stderr, and accepting it would ignore it silently.
    logFormat: z.undefined({ error: 'an embedded node writes no stderr: its records go to the logger adapter, filtered by logLevel' }).optional(),
  })
  .superRefine(checkOptionsTogether);

export type NodeOptions = z.input<typeof embeddedOptionsSchema>;

export type EmbeddedConfig = Omit<z.output<typeof embeddedOptionsSchema>, AdapterName>;

/** Options that only our own adapter reads: with a host's adapter instead, they would be silently ignored. */
const READ_BY_OUR_ADAPTER: readonly { readonly adapter: AdapterName; readonly options: readonly string[] }[] = [
  { adapter: 'keyStore', options: ['key', 'cert'] },
  { adapter: 'transport', options: ['networkKey'] },
];

const embeddingSchema = z
  .object({ options: embeddedOptionsSchema, adapters: adaptersSchema })
  .superRefine(
    (input, context) => {
      const options = (input.options ?? {}) as Record<string, unknown>;
      const adapters = (input.adapters ?? {}) as Record<string, unknown>;
      for (const { adapter, options: ours } of READ_BY_OUR_ADAPTER) {
        const given = ours.filter((name) => options[name] !== undefined);
        if (adapters[adapter] === undefined || given.length === 0) continue;
        context.addIssue({
          code: 'custom',
          path: ['adapters', adapter],
          message: `cannot be given with ${given.join(' and ')}, which only our own ${adapter} reads: give one or the other`,
          params: { shown: true },
        });
      }
    },
    // Checked even when other options are wrong: every problem is reported at once.
    { when: () => true },
  );

export type EmbeddingCheck =
  | { readonly ok: true; readonly config: EmbeddedConfig; readonly adapters: Partial<NodeAdapters> }
  | { readonly ok: false; readonly problems: readonly string[] };

/** `period`, `connect.1`, `adapters.clock`: options by their own names, adapters under `adapters.`. */
function describe(path: readonly PropertyKey[]): string {
  const [root, ...rest] = path.map(String);
  if (root === 'options') return rest.length === 0 ? 'options' : rest.join('.');
  return path.map(String).join('.');
}

/** Checks the options and the adapters' shapes in one pass; every problem is one line naming the option or adapter. */
export function checkEmbedding(options: unknown, adapters: unknown): EmbeddingCheck {
  const raw = { options, adapters: adapters ?? {} };
  const result = embeddingSchema.safeParse(raw);
  if (result.success) {
    const config = Object.fromEntries(Object.entries(result.data.options).filter(([key]) => !(ADAPTER_NAMES as string[]).includes(key))) as EmbeddedConfig;
    const given = Object.fromEntries(Object.entries(result.data.adapters).filter(([, adapter]) => adapter !== undefined)) as Partial<NodeAdapters>;
    return { ok: true, config, adapters: given };
  }
  const problems = result.error.issues.flatMap((issue) => explain(issue, raw));
  return { ok: false, problems: problems.length > 0 ? problems : ['invalid node options'] };
}

function explain(issue: z.core.$ZodIssue, raw: unknown): string[] {
  if (issue.code === 'unrecognized_keys' && issue.path[0] === 'adapters') {
    return issue.keys.map((key) =>
      key in nodeConfigFields.shape
        ? `adapters.${key}: an option, not an adapter: pass it in createNode's first argument`
        : `adapters.${key}: unknown adapter (the adapters are ${ADAPTER_NAMES.join(', ')})`,
    );
  }
  if (issue.code === 'custom' && (issue.params as { shown?: boolean } | undefined)?.shown === true) {
    return [`${describe(issue.path)}: ${issue.message}`];
  }
  return [explainIssue(issue, raw, describe)];
}

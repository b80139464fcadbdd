import type { NodeConfig } from '../main/config';

export interface NodeOptionHelp {
  /** The placeholder in `--period <S>`. */
  readonly value: string;
  readonly description: string;
  /** Shown as the default when the option has no default value. */
  readonly absent?: string;
}

/** Every config key is a flag (`heartbeatInterval` is `--heartbeat-interval`); the compiler checks that none is missing. */
export const NODE_OPTIONS: { readonly [Key in keyof NodeConfig]-?: NodeOptionHelp } = {
  period: { value: 'S', description: 'seconds between the pings this node sends to every peer; fractions allowed' },
  port: { value: 'P', description: 'TCP port to accept peers on; 0 picks a free port' },
  host: { value: 'H', description: 'address to bind' },
  advertise: { value: 'HOST:PORT', description: 'address other peers should dial to reach this node', absent: 'derived' },
  connect: { value: 'HOST:PORT', description: 'a peer to join the network through; may be repeated', absent: 'none: wait for peers' },
  key: { value: 'PATH', description: 'PEM private key; give --cert with it', absent: 'a new key pair, kept in --data-dir if given' },
  cert: { value: 'PATH', description: 'PEM certificate of --key', absent: 'a new key pair, kept in --data-dir if given' },
  heartbeatInterval: { value: 'S', description: 'seconds between heartbeats' },
  deadAfter: { value: 'S', description: 'seconds of silence after which a peer is dead' },
  dataDir: { value: 'DIR', description: 'where known peers and their pinned keys survive restarts', absent: 'none: memory only' },
  output: { value: 'FORMAT', description: 'what goes to stdout: text or json' },
  logLevel: { value: 'L', description: 'trace, debug, info, warn, error, fatal or off; also env LOG_LEVEL' },
  networkKey: {
    value: 'PATH',
    description: 'a shared secret: only nodes holding it can join; may be repeated to rotate it (the first proves, any one is accepted)',
    absent: 'none: open network',
  },
  allow: { value: 'PATH', description: 'identities allowed to connect, one per line (# comments)', absent: 'anyone, pinned on first sight' },
  reconnectMax: { value: 'S', description: 'longest wait, in seconds, between redials of a lost peer' },
  reconnectTimeout: { value: 'S', description: 'seconds an unseen peer is remembered and redialled' },
  admin: { value: 'HOST:PORT', description: 'serve the admin HTTP API here; port 0 picks a free one', absent: 'none: no admin API' },
  adminToken: { value: 'PATH', description: 'file holding the bearer token that POST and PUT requests must carry; required off loopback', absent: 'none' },
  tags: { value: 'KEY=VALUE', description: 'metadata about this node that every peer sees; may be repeated', absent: 'none' },
  logFormat: { value: 'FORMAT', description: 'stderr log records: text (one line each) or json (bunyan)', absent: 'text on a terminal, else json' },
};

export function flagOf(key: string): string {
  // The one flag whose config key differs: `--tag K=V`, repeated, is `tags:` in a file.
  if (key === 'tags') return '--tag';
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** The option that named a file (or the admin API's address); the CLI words it as its flag (`--key`), a library neutrally. */
export type FileOption = 'key' | 'cert' | 'dataDir' | 'networkKey' | 'allow' | 'adminToken' | 'admin';

/** A file an error is about: which option named it, its path, and where in or about it. */
export interface FileSource {
  readonly option: FileOption;
  readonly path: string;
  /** After the path: `(node.crt)` for a file inside the data dir, `line 3` of an allowlist. */
  readonly detail?: string;
}

/** How a caller names the option of a file: `--key` on the command line. */
export type NameFileOption = (option: FileOption) => string;

/** Neutral names, for a library and for logs: `key file /x`, `data dir /d`. */
const NEUTRAL_NAMES: Readonly<Record<FileOption, string>> = {
  key: 'key file',
  cert: 'certificate file',
  dataDir: 'data dir',
  networkKey: 'network key file',
  allow: 'allowlist file',
  adminToken: 'admin token file',
  admin: 'admin API address',
};

const neutralName: NameFileOption = (option) => NEUTRAL_NAMES[option];

/**
 * A usage or configuration problem the user must fix (exit code 2). The
 * message is one plain-text line: it names the option, config key or file,
 * and what is wrong. An error about files carries them in `sources`, so that
 * each caller can name them its way (`describe`); its message names them
 * neutrally (`key file /x: cannot read: …`).
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  /** The files the problem is about, in the order the message names them; empty when the message names no file. */
  readonly sources: readonly FileSource[];
  /** What is wrong, without the names of the files. */
  readonly problem: string;

  constructor(message: string, options?: { cause?: unknown; sources?: readonly FileSource[]; problem?: string }) {
    super(message, options);
    this.sources = options?.sources ?? [];
    this.problem = options?.problem ?? message;
  }

  /** A problem with files: `key file /x and certificate file /y: the key does not match the certificate`. */
  static inFiles(sources: readonly FileSource[], problem: string, options?: { cause?: unknown }): ConfigurationError {
    return new ConfigurationError(describeProblem(sources, problem, neutralName), { ...options, sources, problem });
  }

  /** The message with each file's option named by `name` (the CLI passes its flags). */
  describe(name: NameFileOption): string {
    return this.sources.length === 0 ? this.message : describeProblem(this.sources, this.problem, name);
  }
}

function describeProblem(sources: readonly FileSource[], problem: string, name: NameFileOption): string {
  const files = sources.map((source) => [name(source.option), source.path, source.detail].filter((part) => part !== undefined).join(' '));
  return `${files.join(' and ')}: ${problem}`;
}

/**
 * A runtime failure about a file (exit 1), not a wrong option: a disk that is
 * full, read-only or failing, a data dir that another node holds. It names its
 * files as ConfigurationError does, so the CLI can word them as flags.
 */
export class FileFailure extends Error {
  override readonly name: string = 'FileFailure';

  constructor(
    readonly sources: readonly FileSource[],
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(describeProblem(sources, problem, neutralName), options);
  }

  describe(name: NameFileOption): string {
    return describeProblem(this.sources, this.problem, name);
  }
}

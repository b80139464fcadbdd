import { Command, CommanderError } from 'commander';
import { OPTION_DEFAULTS } from '../main/config-defaults';
import { ConfigurationError } from '../application/configuration.error';
import { addAdminCommands, type AdminCommandLine } from './admin-command-line';
import type { TextSink } from './cli-services';
import { flagOf, NODE_OPTIONS, type NodeOptionHelp } from './node-options';

/** What the command line asks for, once commander has read it. */
export type CommandLine =
  | { readonly command: 'node'; readonly flags: Readonly<Record<string, unknown>>; readonly configFile?: string }
  | { readonly command: 'keygen'; readonly key?: string; readonly cert?: string; readonly networkKey?: string }
  | { readonly command: 'id'; readonly cert: string }
  | AdminCommandLine
  /** Help or the version was printed. */
  | { readonly command: 'done' };

/** Commander never sees the real terminal: its width is fixed and it writes only to the streams given. */
const HELP_WIDTH = 80;

const FILE_HELP = `
Every option can also be set in the --config file under its name in camelCase
(heartbeatInterval: 2, connect as a list); a flag beats the file.`;

/** Throws a ConfigurationError, one line, for any usage error. */
export function parseCommandLine(argv: readonly string[], output: { stdout: TextSink; stderr: TextSink }, version: string): CommandLine {
  let selected: CommandLine = { command: 'done' };
  const program = new Command('p2p-gossip')
    .description('A peer-to-peer membership node: full mesh over mutual TLS, identities pinned on first sight.')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => output.stdout.write(text),
      writeErr: (text) => output.stderr.write(text),
      // Errors become one ConfigurationError line, written by the caller.
      outputError: () => undefined,
      getOutHelpWidth: () => HELP_WIDTH,
      getErrHelpWidth: () => HELP_WIDTH,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .addHelpText('after', FILE_HELP);
  for (const [key, help] of Object.entries(NODE_OPTIONS) as [keyof typeof NODE_OPTIONS, NodeOptionHelp][]) {
    const flag = `${flagOf(key)} <${help.value}>`;
    const description = `${help.description} (default: ${help.absent ?? String(OPTION_DEFAULTS[key as keyof typeof OPTION_DEFAULTS])})`;
    if (key === 'connect' || key === 'tags') program.option(flag, description, (value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    // One key stays a string, as before; a repeated one becomes the list a YAML file would give.
    else if (key === 'networkKey') program.option(flag, description, (value: string, previous: string | string[] | undefined) => (previous === undefined ? value : [previous, value].flat()));
    else program.option(flag, description);
  }
  program
    .option('--config <FILE>', 'YAML file of options; flags beat it (default: none)')
    .version(version, '-V, --version', 'show the version')
    .helpOption('-h, --help', 'show this help');
  program.action((options: Record<string, unknown>, command: Command) => {
    const [extra] = command.args;
    if (extra !== undefined) throw new ConfigurationError(`unknown command '${extra}' (commands: ${program.commands.map((command) => command.name()).join(', ')})`);
    const { config, tag, ...rest } = options;
    const flags = tag === undefined ? rest : { ...rest, tags: tag };
    selected = { command: 'node', flags, ...(typeof config === 'string' ? { configFile: config } : {}) };
  });

  program
    .command('keygen')
    .description('write a new key pair (--key K --cert C) or network key (--network-key F); never overwrites')
    .usage('--key K --cert C | --network-key F')
    .option('--key <PATH>', 'where to write the PEM private key (mode 0600)')
    .option('--cert <PATH>', 'where to write its self-signed certificate')
    .option('--network-key <PATH>', 'where to write a new network key (mode 0600)')
    .action((options: { key?: string; cert?: string; networkKey?: string }) => {
      refuseNodeOptions(program, 'keygen');
      selected = { command: 'keygen', ...options };
    });

  program
    .command('id')
    .description('print the identity of a certificate (--cert C): SHA-256 of its public key')
    .usage('--cert C')
    .requiredOption('--cert <PATH>', 'PEM certificate')
    .action((options: { cert: string }) => {
      refuseNodeOptions(program, 'id');
      selected = { command: 'id', cert: options.cert };
    });

  addAdminCommands(
    program,
    (commandLine) => {
      selected = commandLine;
    },
    (command) => refuseNodeOptions(program, command),
  );

  // Only now: subcommands would inherit it. The node's action reports the extra word as an unknown command.
  program.allowExcessArguments().helpCommand('help [command]', 'show help for a command');

  // commander prints the whole help to stderr for `help <unknown>`; one line says more.
  const [first, topic] = argv;
  if (first === 'help' && topic !== undefined && !program.commands.some((command) => command.name() === topic)) {
    throw new ConfigurationError(`help: unknown command '${topic}' (commands: ${program.commands.map((command) => command.name()).join(', ')})`);
  }
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return { command: 'done' };
      throw new ConfigurationError(error.message.replace(/^error: /, ''), { cause: error });
    }
    throw error;
  }
  return selected;
}

/** `p2p-gossip --port 1 keygen …` would silently ignore --port. */
function refuseNodeOptions(program: Command, command: string): void {
  const [given] = Object.keys(program.opts());
  if (given !== undefined) throw new ConfigurationError(`${flagOf(given)}: not an option of ${command}`);
}

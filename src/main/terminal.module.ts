import { ContainerModule } from 'inversify';
import { Logger } from '../application/ports/logger.port';
import { Output } from '../application/ports/output.port';
import { createBunyanLogger, LogSink } from '../adapters/logging/bunyan-logger';
import { LogLevel } from '../adapters/logging/log-level';
import { JsonOutput } from '../adapters/output/json-output';
import { TextOutput } from '../adapters/output/text-output';
import { EventSink, type TextSink } from '../adapters/output/text-sink';
import type { NodeConfig } from './config';

/** Where a CLI node writes. */
export interface TerminalSinks {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
}

/** `--log-format` when not given: readable lines for a person at a terminal, JSON for machines. */
function logFormatFor(config: Pick<NodeConfig, 'logFormat'>, stderr: TextSink): 'text' | 'json' {
  return config.logFormat ?? ((stderr as { isTTY?: boolean }).isTTY === true ? 'text' : 'json');
}

/** The CLI's output and logs: events on stdout as text or JSON, bunyan records on stderr at the log level, as JSON or readable lines. */
export function terminalModule(config: Pick<NodeConfig, 'output' | 'logLevel' | 'logFormat'>, sinks: TerminalSinks): ContainerModule {
  const format = logFormatFor(config, sinks.stderr);
  return new ContainerModule(({ bind }) => {
    bind<TextSink>(EventSink).toConstantValue(sinks.stdout);
    bind(Output).to(config.output === 'json' ? JsonOutput : TextOutput).inSingletonScope();
    bind<LogSink>(LogSink).toConstantValue(sinks.stderr);
    bind<LogLevel>(LogLevel).toConstantValue(config.logLevel);
    bind(Logger).toResolvedValue((sink: LogSink, level: LogLevel) => createBunyanLogger(sink, level, format), [LogSink, LogLevel]).inSingletonScope();
  });
}

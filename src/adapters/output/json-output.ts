import { inject, injectable } from 'inversify';
import type { Output } from '../../application/ports/output.port';
import type { NodeEvent } from '../../domain/events';
import { EventSink, type TextSink } from './text-sink';

/** NDJSON for programs: one object per line, `ts` and `event` first, identities whole. */
@injectable()
export class JsonOutput implements Output {
  constructor(@inject(EventSink) private readonly sink: TextSink) {}

  emit(event: NodeEvent, at: Date): void {
    this.sink.write(`${JSON.stringify(eventRecord(event, at))}\n`);
  }
}

/** An event as programs see it: `ts` and `event` first, then the contract's fields. */
export function eventRecord(event: NodeEvent, at: Date): Record<string, unknown> {
  const { event: name, ...fields } = event;
  return { ts: at.toISOString(), event: name, ...fields };
}

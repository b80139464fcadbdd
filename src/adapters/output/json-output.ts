import type { Output } from '../../application/ports/output.port';
import type { NodeEvent } from '../../domain/events';
import type { TextSink } from './text-sink';

/** NDJSON for programs: one object per line, `ts` and `event` first, identities whole. */
export class JsonOutput implements Output {
  constructor(private readonly sink: TextSink) {}

  emit(event: NodeEvent, at: Date): void {
    const { event: name, ...fields } = event;
    this.sink.write(`${JSON.stringify({ ts: at.toISOString(), event: name, ...fields })}\n`);
  }
}

/** Where the output adapters write events (stdout in the CLI), bound in the container under this token. */
export const EventSink = Symbol('EventSink');

/** Where an adapter writes lines: process.stdout, or a buffer in tests. */
export interface TextSink {
  write(text: string): unknown;
}

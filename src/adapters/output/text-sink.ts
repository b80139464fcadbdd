/** Where an adapter writes lines: process.stdout, or a buffer in tests. */
export interface TextSink {
  write(text: string): unknown;
}

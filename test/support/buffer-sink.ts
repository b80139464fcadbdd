/** A writable text stream that keeps what was written. */
export class BufferSink {
  text = '';

  write(text: string): boolean {
    this.text += text;
    return true;
  }

  /** Complete lines, without their line breaks. */
  get lines(): string[] {
    return this.text.split('\n').filter((line) => line !== '');
  }
}

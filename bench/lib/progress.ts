import { Presets, SingleBar } from 'cli-progress';

/** Where a benchmark reports how far it got: a bar on a terminal, plain lines otherwise. */
export interface Progress {
  begin(name: string, total: number): void;
  /** One unit done; `step` says what comes next. */
  tick(step?: string): void;
  /** Says what is going on without advancing. */
  status(step: string): void;
  end(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stdout): Progress {
  return stream.isTTY ? new BarProgress(stream) : new LineProgress(stream);
}

class BarProgress implements Progress {
  private bar: SingleBar | undefined;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  begin(name: string, total: number): void {
    this.end();
    this.bar = new SingleBar(
      {
        format: `${name.padEnd(10)} {bar} {value}/{total} {duration_formatted} | {step}`,
        stream: this.stream,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 5,
      },
      Presets.shades_classic,
    );
    this.bar.start(total, 0, { step: 'starting' });
  }

  tick(step = ''): void {
    this.bar?.increment(1, { step });
  }

  status(step: string): void {
    this.bar?.update({ step });
  }

  end(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

class LineProgress implements Progress {
  private name = '';
  private total = 0;
  private done = 0;
  private started = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  begin(name: string, total: number): void {
    Object.assign(this, { name, total, done: 0, started: performance.now() });
    this.line('starting');
  }

  tick(step = ''): void {
    this.done += 1;
    this.line(step);
  }

  status(step: string): void {
    this.line(step);
  }

  end(): void {
    this.line('done');
  }

  private line(step: string): void {
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    this.stream.write(`[${this.name} ${this.done}/${this.total} ${seconds}s] ${step}\n`);
  }
}

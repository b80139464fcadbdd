import type { Clock, TimerHandle } from './ports/clock.port';
import type { Logger } from './ports/logger.port';
import type { PeerStore } from './ports/peer-store.port';

/** Whether the peer store's changes reach the disk: what a metric or a status page shows. */
export interface PeerStoreStatus {
  /** False from a failed write until the next one succeeds; true before any write. */
  readonly writable: boolean;
  /** Consecutive failed writes (0 while writable). */
  readonly failures: number;
  /** When writes started failing (ms since the epoch, the clock's), while they do. */
  readonly failingSince: number | undefined;
  /** The last failure, one line naming the file, while writes fail. */
  readonly lastError: string | undefined;
}

export interface PeerStoreWriterOptions {
  /** Changes are written at most this often: a burst of joins costs one write, a crash loses at most this much. */
  readonly delayMs: number;
  /** First retry after a failed write: a disk the operator frees is noticed soon. */
  readonly retryInitialMs: number;
  /** The retry delay doubles up to this: a disk that stays full costs one attempt per this long. */
  readonly retryMaxMs: number;
}

export const PEER_STORE_WRITER_DEFAULTS: PeerStoreWriterOptions = { delayMs: 1_000, retryInitialMs: 1_000, retryMaxMs: 30_000 };

const WRITABLE: PeerStoreStatus = { writable: true, failures: 0, failingSince: undefined, lastError: undefined };

/**
 * Writes the peer store's changes, batched, and carries on when the disk
 * fails: a failing store costs persistence, never the node. The file keeps
 * its last good content (the store writes atomically); the writer logs one
 * `warn` when writes start failing, retries with backoff, and one `info`
 * when a write works again. The stack of a failure is logged at `debug` only.
 */
export class PeerStoreWriter {
  private timer: TimerHandle | undefined;
  private current: PeerStoreStatus = WRITABLE;
  private closed = false;

  constructor(
    private readonly store: PeerStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: PeerStoreWriterOptions = PEER_STORE_WRITER_DEFAULTS,
  ) {}

  get status(): PeerStoreStatus {
    return this.current;
  }

  /** A change was recorded: it is written within `delayMs`, or by the pending retry while writes fail. */
  changed(): void {
    if (this.closed || this.timer !== undefined) return;
    this.timer = this.clock.setTimer(this.options.delayMs, () => this.fire());
  }

  /** The last write, at stop: waits for it and never rejects. No retry follows. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    await this.write();
  }

  private fire(): void {
    this.timer = undefined;
    void this.write().then(() => {
      if (this.current.writable || this.closed || this.timer !== undefined) return;
      const delay = Math.min(this.options.retryMaxMs, this.options.retryInitialMs * 2 ** (this.current.failures - 1));
      this.timer = this.clock.setTimer(delay, () => this.fire());
    });
  }

  private async write(): Promise<void> {
    try {
      await this.store.flush();
    } catch (error) {
      this.failed(error);
      return;
    }
    if (this.current.writable) return;
    const { failures, failingSince } = this.current;
    this.current = WRITABLE;
    this.logger.info({ failures, failedForMs: this.clock.now() - (failingSince ?? this.clock.now()) }, 'the peer store is written again');
  }

  private failed(error: unknown): void {
    const message = oneLine(error instanceof Error ? error.message : String(error));
    const first = this.current.writable;
    const failures = this.current.failures + 1;
    this.current = { writable: false, failures, failingSince: this.current.failingSince ?? this.clock.now(), lastError: message };
    // The stack is for developers: users see one line, once per episode.
    this.logger.debug({ err: error, failures }, 'peer store write failed');
    if (first) {
      this.logger.warn(
        { error: message, ...(this.closed ? {} : { retryInMs: this.options.retryInitialMs }) },
        this.closed ? 'cannot write the peer store; its last good file is kept' : 'cannot write the peer store; running on with its last good file and retrying',
      );
    }
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

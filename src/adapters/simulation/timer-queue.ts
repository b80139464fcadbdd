/** One pending timer: due at `at`, ordered among equals by `seq` (insertion order). */
export interface QueuedTimer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * A binary min-heap of timers by (at, seq). Cancelled timers stay in the heap
 * and are skipped when they reach the top, which keeps cancel O(1).
 */
export class TimerQueue {
  private readonly heap: QueuedTimer[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(timer: QueuedTimer): void {
    const heap = this.heap;
    heap.push(timer);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = heap[parent] as QueuedTimer;
      if (!before(timer, above)) break;
      heap[index] = above;
      index = parent;
    }
    heap[index] = timer;
  }

  /** The earliest live timer, without removing it; drops cancelled ones on the way. */
  peek(): QueuedTimer | undefined {
    let top = this.heap[0];
    while (top?.cancelled) {
      this.pop();
      top = this.heap[0];
    }
    return top;
  }

  pop(): QueuedTimer | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right] as QueuedTimer, heap[left] as QueuedTimer) ? right : left;
      const lower = heap[child] as QueuedTimer;
      if (!before(lower, last)) break;
      heap[index] = lower;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}

function before(a: QueuedTimer, b: QueuedTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

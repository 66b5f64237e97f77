/**
 * A binary min-heap over an array, ordered by `less`. The memory adapter keeps its queued jobs
 * in these so that claim costs O(log n) instead of a scan or a sort of every waiting job.
 *
 * Removal from the middle is deliberately absent: callers use lazy deletion (an entry whose job
 * left the queued state is skipped when it reaches the top) and rebuild with `retain` once stale
 * entries pile up, which keeps every operation O(log n) amortised.
 */
export class BinaryHeap<T> {
  private items: T[] = [];

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    // Sift up: move the hole, not the item, to save writes on the hot path.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!this.less(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      this.siftDown(0, last);
    }
    return top;
  }

  /** Keep only the items `keep` accepts and restore the heap order in O(n). */
  retain(keep: (item: T) => boolean): number {
    const before = this.items.length;
    this.items = this.items.filter(keep);
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) {
      this.siftDown(i, this.items[i]!);
    }
    return before - this.items.length;
  }

  private siftDown(start: number, item: T): void {
    const items = this.items;
    const n = items.length;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && this.less(items[right]!, items[child]!)) child = right;
      const c = items[child]!;
      if (!this.less(c, item)) break;
      items[i] = c;
      i = child;
    }
    items[i] = item;
  }
}

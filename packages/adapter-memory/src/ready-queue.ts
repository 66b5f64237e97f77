import { BinaryHeap } from './heap.js';
import type { StoredJob } from './stored-job.js';

/** A ready-queue entry: the sort keys are copied in so that later edits of the job cannot break heap order. */
interface Entry {
  stored: StoredJob;
  /** Equals `stored.qv` while the entry is live; anything else means the job moved on (lazy deletion). */
  v: number;
  priority: number;
  createdAt: number;
  runAt: number;
  seq: number;
}

/** One heap of due jobs per (queue, type): claim filters pick heaps instead of skipping entries. */
interface Partition {
  queue: string;
  type: string;
  heap: BinaryHeap<Entry>;
}

const dueFirst = (a: Entry, b: Entry): boolean =>
  a.priority !== b.priority
    ? a.priority > b.priority
    : a.createdAt !== b.createdAt
      ? a.createdAt < b.createdAt
      : a.seq < b.seq;

const earliestRunAt = (a: Entry, b: Entry): boolean =>
  a.runAt !== b.runAt ? a.runAt < b.runAt : a.seq < b.seq;

/** Below this many stale entries, compaction is not worth a pass over the heaps. */
const COMPACT_MIN_STALE = 1024;

/**
 * The queued jobs, ready for O(log n) claims.
 *
 * - Delayed jobs wait in one min-heap by `runAt`; a claim first moves every job whose time has come
 *   into the due heap of its (queue, type) partition.
 * - Due heaps are ordered by priority desc, then `createdAt` asc, then insertion order.
 * - A job leaving `queued` any other way than by being claimed (cancel, pause, delete, a new
 *   `runAt`) is not searched for: its entry goes stale and is dropped when it surfaces, and the
 *   heaps are rebuilt once stale entries outnumber live ones, so nothing leaks.
 */
export class ReadyQueue {
  private readonly delayed = new BinaryHeap<Entry>(earliestRunAt);
  /** queue → type → partition: two lookups beat building a composite key string per job. */
  private readonly partitions = new Map<string, Map<string, Partition>>();
  private version = 0;
  private entries = 0;
  private stale = 0;

  /** Entries held, live and stale (for tests of memory release). */
  get entryCount(): number {
    return this.entries;
  }

  /** Add a queued job (or re-add it after its keys changed: the previous entry goes stale). */
  add(stored: StoredJob, now: number): void {
    this.remove(stored);
    const job = stored.job;
    const v = ++this.version;
    stored.qv = v;
    const entry: Entry = {
      stored,
      v,
      priority: job.priority,
      createdAt: job.createdAt,
      runAt: job.runAt,
      seq: stored.seq,
    };
    this.entries++;
    if (job.runAt <= now) this.partitionOf(job.queue, job.type).heap.push(entry);
    else this.delayed.push(entry);
  }

  /** Forget a job's entry (it left `queued`): O(1), the entry is dropped lazily. */
  remove(stored: StoredJob): void {
    if (stored.qv === 0) return;
    stored.qv = 0;
    this.stale++;
    this.maybeCompact();
  }

  /**
   * Take up to `limit` due jobs in claim order, restricted to `types` and `queues` when given.
   * The caller must move each returned job out of `queued`.
   */
  take(limit: number, now: number, types?: readonly string[], queues?: readonly string[]): StoredJob[] {
    this.promote(now);
    const out: StoredJob[] = [];
    if (limit <= 0) return out;
    const candidates: Partition[] = [];
    for (const [queue, byType] of this.partitions) {
      if (queues && !queues.includes(queue)) continue;
      for (const p of byType.values()) if (!types || types.includes(p.type)) candidates.push(p);
    }
    while (out.length < limit && candidates.length > 0) {
      let best: Partition | undefined;
      let bestEntry: Entry | undefined;
      for (let i = candidates.length - 1; i >= 0; i--) {
        const p = candidates[i]!;
        const top = this.cleanTop(p, now);
        if (top === undefined) {
          candidates.splice(i, 1);
          continue;
        }
        if (bestEntry === undefined || dueFirst(top, bestEntry)) {
          best = p;
          bestEntry = top;
        }
      }
      if (best === undefined || bestEntry === undefined) break;
      best.heap.pop();
      this.entries--;
      if (best.heap.size === 0) this.dropPartition(best);
      bestEntry.stored.qv = 0;
      out.push(bestEntry.stored);
    }
    return out;
  }

  /** Earliest `runAt` among waiting delayed jobs (stale entries may make it early, never late). */
  nextRunAt(): number | undefined {
    return this.delayed.peek()?.runAt;
  }

  /** Move delayed jobs that are due into their partitions. */
  private promote(now: number): void {
    for (let top = this.delayed.peek(); top !== undefined && top.runAt <= now; top = this.delayed.peek()) {
      this.delayed.pop();
      if (top.v !== top.stored.qv) {
        this.dropStale();
        continue;
      }
      this.partitionOf(top.stored.job.queue, top.stored.job.type).heap.push(top);
    }
  }

  /** The live top of a partition, dropping stale entries and sending not-yet-due ones back (clock moved back). */
  private cleanTop(p: Partition, now: number): Entry | undefined {
    for (let top = p.heap.peek(); top !== undefined; top = p.heap.peek()) {
      if (top.v !== top.stored.qv) {
        p.heap.pop();
        this.dropStale();
      } else if (top.runAt > now) {
        p.heap.pop();
        this.delayed.push(top);
      } else {
        return top;
      }
    }
    this.dropPartition(p);
    return undefined;
  }

  private dropStale(): void {
    this.entries--;
    this.stale--;
  }

  private partitionOf(queue: string, type: string): Partition {
    let byType = this.partitions.get(queue);
    if (byType === undefined) {
      byType = new Map();
      this.partitions.set(queue, byType);
    }
    let p = byType.get(type);
    if (p === undefined) {
      p = { queue, type, heap: new BinaryHeap<Entry>(dueFirst) };
      byType.set(type, p);
    }
    return p;
  }

  /** Forget an empty partition, so a store that saw many types or queues does not keep their heaps. */
  private dropPartition(p: Partition): void {
    const byType = this.partitions.get(p.queue);
    if (byType === undefined || byType.get(p.type) !== p) return;
    byType.delete(p.type);
    if (byType.size === 0) this.partitions.delete(p.queue);
  }

  /** Rebuild the heaps without stale entries once they are at least half of all entries. */
  private maybeCompact(): void {
    if (this.stale < COMPACT_MIN_STALE || this.stale * 2 < this.entries) return;
    const live = (e: Entry) => e.v === e.stored.qv;
    let dropped = this.delayed.retain(live);
    for (const byType of [...this.partitions.values()]) {
      for (const p of [...byType.values()]) {
        dropped += p.heap.retain(live);
        if (p.heap.size === 0) this.dropPartition(p);
      }
    }
    this.entries -= dropped;
    this.stale -= dropped;
  }
}

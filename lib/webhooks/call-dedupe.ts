/**
 * A claimed mark: the notification is being (or was) handled by this claimant.
 * @publicApi
 */
export interface ExotelCallMark {
  /** Frees the mark after a failed handler, so that Exotel's redelivery is handled. */
  release(): Promise<void>;
}

/**
 * Remembers which notifications were handled, per handler. `claim` must be atomic: of concurrent
 * claims of one key (in any replica sharing the implementation), exactly one gets a mark.
 * @publicApi
 */
export interface ExotelCallDedupe {
  /** A mark when nobody holds `key` (it then lasts `ttlMs` unless released), else undefined. */
  claim(key: string, ttlMs: number): Promise<ExotelCallMark | undefined>;
}

/** Default bound of {@link MemoryCallDedupe}. */
const DEFAULT_MAX_MARKS = 100_000;

/**
 * Marks in this process: the default without a shared token store. Bounded by time (each mark
 * lasts its TTL) and by count: past `maxMarks` the oldest mark is dropped, so memory stays flat
 * under any load, at the price of forgetting the oldest notifications first.
 * @publicApi
 */
export class MemoryCallDedupe implements ExotelCallDedupe {
  /** Insertion order is claim order, so the oldest mark is always first. */
  private readonly marks = new Map<string, { until: number }>();

  constructor(private readonly maxMarks = DEFAULT_MAX_MARKS) {
    if (!Number.isInteger(maxMarks) || maxMarks < 1) {
      throw new RangeError('MemoryCallDedupe: maxMarks must be a positive integer');
    }
  }

  /** Marks currently held (expired ones are dropped lazily). */
  get size(): number {
    return this.marks.size;
  }

  async claim(key: string, ttlMs: number): Promise<ExotelCallMark | undefined> {
    const now = Date.now();
    const held = this.marks.get(key);
    if (held && held.until > now) return undefined;
    this.marks.delete(key);
    this.evict(now);
    const mark = { until: now + ttlMs };
    this.marks.set(key, mark);
    return {
      release: async () => {
        if (this.marks.get(key) === mark) this.marks.delete(key);
      },
    };
  }

  private evict(now: number): void {
    for (const [key, mark] of this.marks) {
      if (mark.until > now && this.marks.size < this.maxMarks) break;
      this.marks.delete(key);
    }
  }
}

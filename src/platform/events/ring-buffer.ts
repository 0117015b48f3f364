import type { DomainEvent } from './event.js';

/** Fixed-size history with O(1) lookup by id, so resume does not scan. */
export class RingBuffer {
  private readonly slots: (DomainEvent | undefined)[];
  private readonly seqById = new Map<string, number>();
  private next = 0;

  constructor(private readonly size: number) {
    this.slots = new Array<DomainEvent | undefined>(size);
  }

  has(id: string): boolean {
    return this.seqById.has(id);
  }

  last(): DomainEvent | undefined {
    return this.next === 0 ? undefined : this.slots[(this.next - 1) % this.size];
  }

  push(event: DomainEvent): void {
    const slot = this.next % this.size;
    const evicted = this.slots[slot];
    if (evicted) this.seqById.delete(evicted.id);
    this.slots[slot] = event;
    this.seqById.set(event.id, this.next);
    this.next++;
  }

  after(id: string): DomainEvent[] | null {
    const seq = this.seqById.get(id);
    if (seq === undefined) return null;
    const tail: DomainEvent[] = [];
    for (let s = seq + 1; s < this.next; s++) tail.push(this.slots[s % this.size]!);
    return tail;
  }
}

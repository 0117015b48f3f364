/**
 * Bounded polling for things that happen in other processes. The probe says
 * what it saw each time; a timeout reports the last sighting, so a failure
 * reads "waited 20 s for X; last saw Y" instead of a bare timeout.
 */

export type Sighting<T> = { done: true; value: T } | { done: false; seen: unknown };

export const done = <T>(value: T): Sighting<T> => ({ done: true, value });
export const notYet = (seen: unknown): Sighting<never> => ({ done: false, seen });

export async function eventually<T>(what: string, probe: () => Promise<Sighting<T>>, timeoutMs: number, intervalMs = 200): Promise<T> {
  const started = Date.now();
  let last: unknown = 'nothing yet';
  for (;;) {
    try {
      const sighting = await probe();
      if (sighting.done) return sighting.value;
      last = sighting.seen;
    } catch (error) {
      last = error instanceof Error ? `error: ${error.message}` : error;
    }
    if (Date.now() - started > timeoutMs) {
      const shown = typeof last === 'string' ? last : JSON.stringify(last, null, 1);
      throw new Error(`waited ${timeoutMs} ms for ${what}; last saw: ${shown}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

const MAX_SLUG = 80;

/** "P1 - Critical Service Down" → "p1-critical-service-down": stable, URL-safe ids. */
export function slugify(text: string, fallback = 'section'): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
  return slug === '' ? fallback : slug;
}

/**
 * Hands out ids unique within one runbook. A repeated title gets `-2`,
 * `-3`, … in document order, so the first one keeps its plain id across
 * re-imports even when a later duplicate is added.
 */
export class IdRegistry {
  private readonly used = new Set<string>();

  take(base: string): string {
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }

  has(id: string): boolean {
    return this.used.has(id);
  }
}

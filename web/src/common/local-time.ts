/** `<input type="datetime-local">` values: the browser's local time, to the minute, without a zone. */

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment as the input wants it: `2024-05-01T10:00` in the browser's zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** What the input holds, as ISO 8601 UTC; undefined for empty or unreadable input. */
export function localToIso(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

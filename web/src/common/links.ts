/**
 * Text that arrives from outside (alert annotations, generator URLs) becomes
 * a link only when it is an absolute http(s) URL: never `javascript:`,
 * `data:` or a relative path that would act inside the console.
 */
export function httpUrl(text: string | null | undefined): string | null {
  if (!text) return null;
  const candidate = text.trim();
  // Checked on the text itself too: the URL parser drops tabs and newlines, which browsers then also ignore.
  if (!/^https?:\/\/[^\s]/i.test(candidate)) return null;
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

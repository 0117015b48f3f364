const HEALTH_TIMEOUT_MS = 2000;

/**
 * The seed's blue-green check (`curl -fsS http://$BLUE_IP/health` and
 * `/api/health`): every path, appended to `base` (`http://host:port`), must
 * answer 2xx. null when healthy, else what failed. Redirects are not
 * followed: a 3xx is not a health answer.
 */
export async function checkHealth(base: string, paths: string[]): Promise<string | null> {
  for (const path of paths) {
    try {
      const res = await fetch(`${base}${path}`, { redirect: 'manual', signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
      await res.body?.cancel();
      if (res.status < 200 || res.status > 299) return `${path} answered ${res.status}`;
    } catch (error) {
      return `${path}: ${(error as Error).message}`.slice(0, 300);
    }
  }
  return null;
}

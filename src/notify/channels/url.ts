/**
 * Rules for channel URLs. NEXUS is self-hosted: receivers on loopback or a
 * private network are normal, so those are allowed. What is refused: schemes
 * other than http(s) (file:, gopher:, data: …), credentials in the URL (they
 * end up in proxy logs; the HMAC secret is the credential), and the cloud
 * metadata endpoints, which no webhook ever lives on and which an attacker
 * with admin rights would love NEXUS to POST to.
 */

const METADATA_HOSTS = new Set(['169.254.169.254', 'metadata.google.internal', 'metadata', '[fd00:ec2::254]']);

export function channelUrlProblem(raw: string): string | null {
  const url = URL.parse(raw);
  if (!url) return 'is not a valid URL';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `scheme must be http or https, got "${url.protocol.replace(/:$/, '')}"`;
  if (url.username || url.password) return 'must not contain credentials (user:password@); use the channel secret';
  const host = url.hostname.toLowerCase();
  if (METADATA_HOSTS.has(host) || host.startsWith('169.254.') || host.startsWith('[fe80:')) {
    return 'must not point at a link-local or cloud metadata address';
  }
  return null;
}

/** Scheme, host and port: enough to recognise a receiver; paths and queries of webhook URLs are often tokens. */
export function displayUrl(raw: string | null): string | null {
  if (!raw) return null;
  const url = URL.parse(raw);
  if (!url) return null;
  return url.pathname === '/' && !url.search ? url.origin : `${url.origin}/…`;
}

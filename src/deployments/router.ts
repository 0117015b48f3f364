/**
 * Where traffic of a service goes. The controller hands a router the whole
 * wanted state (every backend with its share), never a delta, so calling
 * `apply` again after a crash, with the same backends, changes nothing.
 * Istio (`VirtualService` subsets) and Gateway API (`HTTPRoute` backendRefs)
 * routers implement the same interface.
 */
export interface Backend {
  version: string;
  /** `host:port` (nginx); a subset or backend name for Kubernetes routers. */
  upstream: string;
  /** Percent of traffic; 0 keeps the backend ready (nginx: `down`) for an instant switch back. A backend left out is removed (scaled down). */
  weight: number;
  /** Kubernetes routers set this image on the backend's Deployment before it takes traffic; nginx ignores it. */
  image?: string | undefined;
}

export interface ApplyResult {
  /** false: the router already had exactly these backends, nothing was sent. */
  changed: boolean;
}

/** What a router saw of a backend's pods once they were ready. */
export interface PodsReady {
  /** `Deployment nexus-backend-green` */
  what: string;
  ready: number;
  wanted: number;
}

export interface TrafficRouter {
  readonly kind: string;
  /**
   * Routers that run the backends' pods (Kubernetes): bring the backend up —
   * its image, its replicas back — and wait until ready, without routing
   * anything to it. null when it has no pods the router knows of. Routers
   * that route to addresses someone else runs (nginx) have none.
   */
  prepare?(service: string, backend: Backend): Promise<PodsReady | null>;
  /** Routers that set images (Kubernetes): the image the upstream's Deployment runs now; null when it has none. */
  imageOf?(service: string, upstream: string): Promise<string | null>;
  /** Idempotent. Resolves once the new split is live; throws RouterError when the router refused it (nothing changed then). */
  apply(service: string, backends: Backend[]): Promise<ApplyResult>;
  /** What the router has now for the service; null when it has nothing for it. */
  current(service: string): Promise<Backend[] | null>;
}

/** The router refused or failed a change; the message is safe to show (no secrets, first lines of the tool's output). */
export class RouterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RouterError';
  }
}

export function sameBackends(a: Backend[] | null, b: Backend[]): boolean {
  if (!a || a.length !== b.length) return false;
  const key = (x: Backend) => `${x.version}\u0000${x.upstream}\u0000${x.weight}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.every((k, i) => k === right[i]);
}

import { ApiException, AppsV1Api, CustomObjectsApi, type KubeConfig, PatchStrategy, setHeaderOptions, type V1Container, type V1Deployment } from '@kubernetes/client-node';
import type { KubernetesConfig } from '../platform/config.js';
import { kubeStatusMessage, loadKubeConfig } from '../platform/kubernetes.js';
import type { Logger } from '../platform/logger.js';
import { RouterError, sameBackends, type ApplyResult, type Backend, type PodsReady, type TrafficRouter } from './router.js';

/** What NEXUS meant (versions included); the live routes only know subsets and backend names. */
export const BACKENDS_ANNOTATION = 'nexus.deployments/backends';
/** On a Deployment NEXUS scaled to 0: its replicas before, to bring the same number back on a switch back. */
export const REPLICAS_ANNOTATION = 'nexus.deployments/replicas';
/**
 * On the route object: the upstreams NEXUS took out of the route, whose
 * Deployments must be at 0. Written in the same patch as the route change, so
 * a NEXUS that dies between that patch and the scale-down finds, on the next
 * apply, which Deployments still have to go (the route alone no longer says).
 */
export const RETIRED_ANNOTATION = 'nexus.deployments/retired';

type KubeObject = { metadata?: { resourceVersion?: string; annotations?: Record<string, string> }; spec?: Record<string, unknown> };
/** A live route entry: a subset (Istio) or `name:port` (Gateway API), and its weight. */
type LiveRoute = { upstream: string; weight: number };

/** A Kubernetes API failure as a RouterError: status code and the Status message, never headers or credentials. */
function apiProblem(what: string, error: unknown): RouterError {
  if (error instanceof ApiException) {
    return new RouterError(`${what}: the Kubernetes API answered ${error.code}: ${kubeStatusMessage(error, 500)}`);
  }
  return new RouterError(`${what}: ${(error as Error).message?.split('\n')[0]?.slice(0, 300) ?? String(error)}`);
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function retiredOf(object: KubeObject): string[] {
  const parsed = safeParse(object.metadata?.annotations?.[RETIRED_ANNOTATION] ?? '[]');
  return Array.isArray(parsed) ? parsed.filter((u): u is string => typeof u === 'string') : [];
}

function annotated(object: KubeObject): Backend[] {
  const parsed = safeParse(object.metadata?.annotations?.[BACKENDS_ANNOTATION] ?? '[]');
  return Array.isArray(parsed) ? (parsed as Backend[]) : [];
}

/** The upstream's name part (`canary`, `web-v2:8080` → `web-v2`). */
const nameOf = (upstream: string) => upstream.split(':')[0]!;

/**
 * The shared half of the Istio and Gateway API routers: read the object,
 * build the whole wanted routing, send it as a JSON merge patch carrying the
 * resourceVersion read (a concurrent writer makes the API server answer 409:
 * read again and retry, a bounded number of times), and set the new version's
 * image on its Deployment before it gets traffic.
 */
abstract class CustomResourceRouter implements TrafficRouter {
  abstract readonly kind: string;
  protected abstract readonly group: string;
  protected abstract readonly version: string;
  protected abstract readonly plural: string;
  protected abstract objectName(service: string): string;
  /** The routed entries for the service; null when the object has none. */
  protected abstract liveRoutes(object: KubeObject, service: string, known: Set<string>): LiveRoute[] | null;
  /** The `spec` of the merge patch that makes the object route exactly `backends`. */
  protected abstract specFor(object: KubeObject, service: string, backends: Backend[], known: Set<string>): Record<string, unknown>;

  private readonly custom: CustomObjectsApi;
  private readonly apps: AppsV1Api;

  constructor(
    protected readonly config: KubernetesConfig,
    kubeConfig: KubeConfig,
    private readonly logger: Logger,
  ) {
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
  }

  private describe(service: string): string {
    return `${this.plural}/${this.objectName(service)} in ${this.config.namespace}`;
  }

  private async read(service: string): Promise<KubeObject> {
    try {
      return (await this.custom.getNamespacedCustomObject({
        group: this.group,
        version: this.version,
        namespace: this.config.namespace,
        plural: this.plural,
        name: this.objectName(service),
      })) as KubeObject;
    } catch (error) {
      throw apiProblem(`reading ${this.describe(service)}`, error);
    }
  }

  private backendsOf(object: KubeObject, service: string, extra: Backend[] = []): Backend[] | null {
    const meant = annotated(object);
    const known = new Set([...meant, ...extra].map((b) => nameOf(b.upstream)));
    const live = this.liveRoutes(object, service, known);
    if (!live) return null;
    return live.map((r) => ({ version: meant.find((b) => b.upstream === r.upstream)?.version ?? '', upstream: r.upstream, weight: r.weight }));
  }

  async current(service: string): Promise<Backend[] | null> {
    return this.backendsOf(await this.read(service), service);
  }

  async imageOf(service: string, upstream: string): Promise<string | null> {
    const { name, where } = this.deploymentOf(service, upstream);
    const deployment = await this.readDeployment(name, where);
    return (deployment && containerOf(deployment, service)?.image) ?? null;
  }

  async prepare(service: string, backend: Backend): Promise<PodsReady | null> {
    const deployment = await this.makeServing(service, backend);
    if (!deployment) return null;
    const { name } = this.deploymentOf(service, backend.upstream);
    return { what: `Deployment ${name}`, ready: deployment.status?.readyReplicas ?? 0, wanted: deployment.spec?.replicas ?? 1 };
  }

  /**
   * Pods before traffic, traffic before removal: every backend that takes
   * traffic gets its image and (when it was scaled down) its replicas back,
   * and is ready, before the route changes; a backend the route drops is
   * scaled to 0 after the change.
   */
  async apply(service: string, backends: Backend[]): Promise<ApplyResult> {
    if (!backends.some((b) => b.weight > 0)) throw new RouterError(`${service}: at least one backend must take traffic`);
    const wanted = backends.map(({ version, upstream, weight }) => ({ version, upstream, weight }));
    let object = await this.read(service);
    const before = this.backendsOf(object, service, wanted) ?? [];
    const routed = new Set(before.filter((b) => b.weight > 0).map((b) => b.upstream));
    for (const backend of backends) {
      if (backend.weight > 0 && (backend.image || !routed.has(backend.upstream))) await this.makeServing(service, backend);
    }
    const wantedUpstreams = new Set(wanted.map((b) => b.upstream));
    for (let attempt = 0; attempt <= this.config.conflictRetries; attempt++) {
      if (attempt > 0) object = await this.read(service);
      const live = this.backendsOf(object, service, wanted);
      if (sameBackends(live, wanted)) {
        // The route is right, but the scale-down after it may never have been sent (a restart in between): converge.
        await this.scaleDownAll(service, retiredOf(object).filter((u) => !wantedUpstreams.has(u)));
        return { changed: false };
      }
      const retired = [...new Set([...retiredOf(object), ...(live ?? []).map((b) => b.upstream)])].filter((u) => !wantedUpstreams.has(u));
      const annotations: Record<string, string | null> = { [BACKENDS_ANNOTATION]: JSON.stringify(wanted) };
      if (retired.length > 0) annotations[RETIRED_ANNOTATION] = JSON.stringify(retired);
      else if (object.metadata?.annotations?.[RETIRED_ANNOTATION] !== undefined) annotations[RETIRED_ANNOTATION] = null;
      const known = new Set([...annotated(object), ...wanted].map((b) => nameOf(b.upstream)));
      const patch = {
        metadata: { resourceVersion: object.metadata?.resourceVersion, annotations },
        spec: this.specFor(object, service, wanted, known),
      };
      try {
        await this.custom.patchNamespacedCustomObject(
          { group: this.group, version: this.version, namespace: this.config.namespace, plural: this.plural, name: this.objectName(service), body: patch },
          // A strategic-merge patch on a custom resource is refused by the API server: merge patch it is.
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        );
      } catch (error) {
        if (error instanceof ApiException && error.code === 409) {
          this.logger.info({ router: this.kind, object: this.describe(service), attempt }, 'resourceVersion conflict; reading again');
          continue;
        }
        throw apiProblem(`the API server refused the traffic change on ${this.describe(service)}`, error);
      }
      await this.scaleDownAll(service, retired);
      return { changed: true };
    }
    throw new RouterError(`${this.describe(service)} kept changing under NEXUS (409 Conflict ${this.config.conflictRetries + 1} times); nothing was changed`);
  }

  private deploymentOf(service: string, upstream: string): { name: string; where: string } {
    const name = this.config.deploymentName.replaceAll('{service}', service).replaceAll('{upstream}', nameOf(upstream));
    return { name, where: `deployments/${name} in ${this.config.namespace}` };
  }

  /** The Deployment, or null when there is none (a backend NEXUS only routes, whose pods someone else runs). */
  private async readDeployment(name: string, where: string): Promise<V1Deployment | null> {
    try {
      return await this.apps.readNamespacedDeployment({ name, namespace: this.config.namespace });
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return null;
      throw apiProblem(`reading ${where}`, error);
    }
  }

  private async patchDeployment(name: string, where: string, what: string, body: object, strategy: PatchStrategy): Promise<void> {
    try {
      await this.apps.patchNamespacedDeployment({ name, namespace: this.config.namespace, body }, setHeaderOptions('Content-Type', strategy));
    } catch (error) {
      throw apiProblem(`the API server refused ${what} on ${where}`, error);
    }
  }

  /**
   * The backend's Deployment runs its image with its replicas back (those
   * NEXUS noted when it scaled it down) and reports ready. A backend getting
   * an image must have a Deployment; one only getting traffic may have none.
   * Answers the Deployment as last read (ready), or null when there is none.
   */
  private async makeServing(service: string, backend: Backend): Promise<V1Deployment | null> {
    const { name, where } = this.deploymentOf(service, backend.upstream);
    const deployment = await this.readDeployment(name, where);
    if (!deployment) {
      if (backend.image) throw new RouterError(`reading ${where}: the Kubernetes API answered 404: not found`);
      this.logger.warn({ router: this.kind, deployment: where }, 'no Deployment for a backend about to take traffic; routing without checking its pods');
      return null;
    }
    let changed = false;
    if (backend.image) {
      const container = containerOf(deployment, service);
      // A strategic-merge patch naming a container that is not there would add one: refuse instead.
      if (!container) throw new RouterError(`${where} has no container named ${service} (and not exactly one container)`);
      if (container.image !== backend.image) {
        const body = { spec: { template: { spec: { containers: [{ name: container.name, image: backend.image }] } } } };
        await this.patchDeployment(name, where, `the image ${backend.image}`, body, PatchStrategy.StrategicMergePatch);
        changed = true;
      }
    }
    if (deployment.spec?.replicas === 0) {
      const remembered = Number(deployment.metadata?.annotations?.[REPLICAS_ANNOTATION]);
      const replicas = Number.isInteger(remembered) && remembered > 0 ? remembered : 1;
      const body = { metadata: { annotations: { [REPLICAS_ANNOTATION]: null } }, spec: { replicas } };
      await this.patchDeployment(name, where, `scaling up to ${replicas}`, body, PatchStrategy.MergePatch);
      changed = true;
    }
    return changed || !ready(deployment) ? this.waitReady(name, where) : deployment;
  }

  /** Polls the Deployment's status until its rollout is complete; bounded by readyTimeoutSeconds. */
  private async waitReady(name: string, where: string): Promise<V1Deployment> {
    const timeoutMs = this.config.readyTimeoutSeconds * 1000;
    const pollMs = Math.min(1000, Math.max(50, timeoutMs / 10));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const deployment = await this.readDeployment(name, where);
      if (!deployment) throw new RouterError(`${where} disappeared while NEXUS waited for it to be ready`);
      if (ready(deployment)) return deployment;
      if (Date.now() >= deadline) {
        const status = deployment.status ?? {};
        throw new RouterError(
          `${where} was not ready after ${this.config.readyTimeoutSeconds} s (${status.readyReplicas ?? 0}/${deployment.spec?.replicas ?? 1} ready, ${status.updatedReplicas ?? 0} updated); traffic was not moved`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  private async scaleDownAll(service: string, upstreams: string[]): Promise<void> {
    for (const upstream of upstreams) await this.scaleDown(service, upstream);
  }

  /** Scaled to 0 with its replicas noted on it, so a switch back brings the same number up; nothing is sent when it is at 0 already. */
  private async scaleDown(service: string, upstream: string): Promise<void> {
    const { name, where } = this.deploymentOf(service, upstream);
    const deployment = await this.readDeployment(name, where);
    if (!deployment) {
      this.logger.warn({ router: this.kind, deployment: where }, 'no Deployment for a backend taken out of the route; nothing to scale down');
      return;
    }
    const replicas = deployment.spec?.replicas ?? 1;
    if (replicas === 0) return;
    const body = { metadata: { annotations: { [REPLICAS_ANNOTATION]: String(replicas) } }, spec: { replicas: 0 } };
    await this.patchDeployment(name, where, 'scaling down to 0', body, PatchStrategy.MergePatch);
  }
}

/** The service's container: the one named like the service, else the only one. */
function containerOf(deployment: V1Deployment, service: string): V1Container | undefined {
  const containers = deployment.spec?.template.spec?.containers ?? [];
  return containers.find((c) => c.name === service) ?? (containers.length === 1 ? containers[0] : undefined);
}

/** The rollout is done: the controller saw the latest spec, and every wanted replica runs it and is ready. */
function ready(deployment: V1Deployment): boolean {
  const wanted = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  return (
    (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0) &&
    (status.updatedReplicas ?? 0) >= wanted &&
    (status.readyReplicas ?? 0) >= wanted &&
    (status.replicas ?? 0) <= wanted
  );
}

type IstioRoute = { destination?: { host?: string; subset?: string; port?: unknown }; weight?: number };
type IstioHttp = { route?: IstioRoute[] } & Record<string, unknown>;

/**
 * Istio: the service's `http` entries of a VirtualService (those whose every
 * destination is the service's host) route to subsets with weights —
 * `{destination: {host, subset}, weight}`, the weight beside the destination.
 */
export class IstioRouter extends CustomResourceRouter {
  readonly kind = 'istio';
  protected readonly group = 'networking.istio.io';
  protected readonly version = 'v1beta1';
  protected readonly plural = 'virtualservices';

  protected objectName(service: string): string {
    return this.config.virtualService ?? service;
  }

  private entries(object: KubeObject, service: string): IstioHttp[] {
    const http = (object.spec?.http ?? []) as IstioHttp[];
    return http.filter((h) => (h.route?.length ?? 0) > 0 && h.route!.every((r) => r.destination?.host === service));
  }

  protected liveRoutes(object: KubeObject, service: string): LiveRoute[] | null {
    const entry = this.entries(object, service)[0];
    if (!entry) return null;
    const routes = entry.route!;
    return routes.map((r) => ({ upstream: r.destination?.subset ?? '', weight: r.weight ?? (routes.length === 1 ? 100 : 0) }));
  }

  protected specFor(object: KubeObject, service: string, backends: Backend[]): Record<string, unknown> {
    const ours = new Set(this.entries(object, service));
    if (ours.size === 0) throw new RouterError(`virtualservices/${this.objectName(service)} has no http route whose destinations are all ${service}`);
    // A merge patch replaces arrays whole: every other http entry is sent back as it was.
    const http = ((object.spec?.http ?? []) as IstioHttp[]).map((h) => {
      if (!ours.has(h)) return h;
      const port = h.route?.[0]?.destination?.port;
      return { ...h, route: backends.map((b) => ({ destination: { host: service, subset: b.upstream, ...(port ? { port } : {}) }, weight: b.weight })) };
    });
    return { http };
  }
}

type BackendRef = { name?: string; port?: number; weight?: number; kind?: string; group?: string } & Record<string, unknown>;
type HttpRouteRule = { backendRefs?: BackendRef[] } & Record<string, unknown>;

/**
 * Gateway API: weights on an HTTPRoute's `rules[].backendRefs[]`; a backend
 * is a Service `name:port`. The rules NEXUS routes are those that already
 * point at one of the deployment's backends; other rules are left as they are.
 */
export class GatewayApiRouter extends CustomResourceRouter {
  readonly kind = 'gateway-api';
  protected readonly group = 'gateway.networking.k8s.io';
  protected readonly version = 'v1';
  protected readonly plural = 'httproutes';

  protected objectName(service: string): string {
    return this.config.httpRoute ?? service;
  }

  private rules(object: KubeObject, known: Set<string>): HttpRouteRule[] {
    const rules = (object.spec?.rules ?? []) as HttpRouteRule[];
    return rules.filter((r) => (r.backendRefs ?? []).some((ref) => ref.name !== undefined && known.has(ref.name)));
  }

  protected liveRoutes(object: KubeObject, _service: string, known: Set<string>): LiveRoute[] | null {
    const rule = this.rules(object, known)[0];
    if (!rule) return null;
    const refs = rule.backendRefs!;
    return refs.map((ref) => ({ upstream: `${ref.name}:${ref.port}`, weight: ref.weight ?? (refs.length === 1 ? 100 : 1) }));
  }

  protected specFor(object: KubeObject, service: string, backends: Backend[], known: Set<string>): Record<string, unknown> {
    const ours = new Set(this.rules(object, known));
    if (ours.size === 0) throw new RouterError(`httproutes/${this.objectName(service)} has no rule with a backendRef to ${[...known].join(' or ')}`);
    const rules = ((object.spec?.rules ?? []) as HttpRouteRule[]).map((rule) =>
      ours.has(rule)
        ? { ...rule, backendRefs: backends.map((b) => ({ name: nameOf(b.upstream), port: Number(b.upstream.split(':')[1]), weight: b.weight })) }
        : rule,
    );
    return { rules };
  }
}

export function kubernetesRouters(config: KubernetesConfig, logger: Logger): TrafficRouter[] {
  const kubeConfig = loadKubeConfig(config.kubeconfig);
  return config.routers.map((kind) => (kind === 'istio' ? new IstioRouter(config, kubeConfig, logger) : new GatewayApiRouter(config, kubeConfig, logger)));
}

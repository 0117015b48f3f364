import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Stands in for a Kubernetes API server (no cluster runs here): keeps objects
 * by path, records every request, and answers as the API server does — GET
 * with the object and its resourceVersion; PATCH only with a content type the
 * resource accepts (a custom resource refuses strategic-merge with 415), 409
 * when the patch carries a stale resourceVersion, 422 with a Status body when
 * told to. Merge patches are applied as RFC 7386 says; strategic-merge ones
 * merge `containers` by name, the one list this test patches that way.
 * Deployments (`/apis/apps/`) get a `metadata.generation` bumped by each spec
 * change and a `status` that catches up with the spec on the next GET, or
 * only after `lagReads` more GETs, or never (`neverReady`). Core objects
 * (`/api/v1/`, Secrets) take the same PATCH types as built-in ones, and a
 * path in `forbiddenOnce` is refused once with 403, as RBAC refuses a
 * service account without `patch` on it.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

type KubeObject = { metadata: { resourceVersion: string } & Record<string, unknown> } & Record<string, unknown>;

export const FAKE_TOKEN = 'fake-cluster-token-that-must-not-leak';

export class FakeKubeApi {
  readonly requests: RecordedRequest[] = [];
  private readonly objects = new Map<string, KubeObject>();
  /** Paths whose next PATCH finds the object changed by someone else (one 409 each). */
  readonly conflictOnce = new Set<string>();
  /** Paths whose next PATCH is refused as invalid (one 422 each). */
  readonly invalidOnce = new Set<string>();
  /** Paths whose next PATCH is forbidden (one 403 each). */
  readonly forbiddenOnce = new Set<string>();
  /** Deployment paths whose status stays behind the spec for this many more GETs. */
  readonly lagReads = new Map<string, number>();
  /** Paths whose next GET fails with a 500 (an API server in trouble). */
  readonly failReadOnce = new Set<string>();
  /** Deployment paths whose pods never become ready. */
  readonly neverReady = new Set<string>();
  private version = 1000;

  private constructor(
    private readonly server: http.Server,
    readonly kubeconfigPath: string,
  ) {}

  /** Over TLS with its own CA in the kubeconfig, as a cluster is reached: the client sends no token over plain HTTP. */
  static async start(): Promise<FakeKubeApi> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-kube-'));
    const [keyFile, certFile] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile,
      '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
    const cert = await fs.readFile(certFile);
    const server = https.createServer({ key: await fs.readFile(keyFile), cert });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const kubeconfigPath = path.join(dir, 'kubeconfig');
    // JSON is YAML: the client reads it like any kubeconfig.
    await fs.writeFile(
      kubeconfigPath,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'fake', cluster: { server: `https://127.0.0.1:${port}`, 'certificate-authority-data': cert.toString('base64') } }],
        users: [{ name: 'nexus', user: { token: FAKE_TOKEN } }],
        contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'nexus', namespace: 'nexus-platform' } }],
        'current-context': 'fake',
      }),
    );
    const api = new FakeKubeApi(server, kubeconfigPath);
    server.on('request', (req, res) => void api.handle(req, res));
    return api;
  }

  put(objectPath: string, object: Record<string, unknown>): void {
    const metadata = (object.metadata ?? {}) as Record<string, unknown>;
    const stored: KubeObject = { ...structuredClone(object), metadata: { generation: 1, ...structuredClone(metadata), resourceVersion: String(++this.version) } };
    this.objects.set(objectPath, stored);
    if (isDeployment(objectPath) && !object.status) syncStatus(stored);
  }

  get(objectPath: string): KubeObject | undefined {
    const object = this.objects.get(objectPath);
    return object && structuredClone(object);
  }

  reset(): void {
    this.requests.length = 0;
    this.objects.clear();
    this.conflictOnce.clear();
    this.invalidOnce.clear();
    this.failReadOnce.clear();
    this.forbiddenOnce.clear();
    this.lagReads.clear();
    this.neverReady.clear();
  }

  /** The requests as `METHOD path` lines. */
  lines(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  patches(objectPath?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'PATCH' && (objectPath === undefined || r.path === objectPath));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await fs.rm(path.dirname(this.kubeconfigPath), { recursive: true, force: true });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const objectPath = (req.url ?? '').split('?')[0]!;
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    this.requests.push({ method: req.method ?? '', path: objectPath, headers: req.headers, body });
    const send = (code: number, payload: unknown): void => void res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    const status = (code: number, reason: string, message: string): void => send(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

    if (req.headers.authorization !== `Bearer ${FAKE_TOKEN}`) return status(401, 'Unauthorized', 'Unauthorized');
    const object = this.objects.get(objectPath);
    if (!object) return status(404, 'NotFound', `${objectPath} not found`);
    if (req.method === 'GET') {
      if (this.failReadOnce.delete(objectPath)) return status(500, 'InternalError', 'etcdserver: request timed out');
      if (isDeployment(objectPath) && !this.neverReady.has(objectPath)) {
        const lag = this.lagReads.get(objectPath) ?? 0;
        if (lag > 0) this.lagReads.set(objectPath, lag - 1);
        else syncStatus(object);
      }
      return send(200, object);
    }
    if (req.method !== 'PATCH') return status(405, 'MethodNotAllowed', `${req.method} is not handled here`);

    const contentType = req.headers['content-type'] ?? '';
    const builtIn = objectPath.startsWith('/apis/apps/') || objectPath.startsWith('/api/v1/');
    const accepted = ['application/merge-patch+json', 'application/json-patch+json', ...(builtIn ? ['application/strategic-merge-patch+json'] : [])];
    if (!accepted.includes(contentType)) {
      return status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
    }
    if (contentType === 'application/json-patch+json') return status(400, 'BadRequest', 'json patches are not expected from NEXUS');
    if (this.forbiddenOnce.delete(objectPath)) {
      const [resource, name] = objectPath.split('/').slice(-2);
      return status(403, 'Forbidden', `${resource} "${name}" is forbidden: User "system:serviceaccount:nexus-platform:nexus" cannot patch resource "${resource}" in API group "" in the namespace "nexus-platform"`);
    }
    if (this.conflictOnce.delete(objectPath)) {
      // Someone else wrote the object since NEXUS read it.
      object.metadata.resourceVersion = String(++this.version);
    }
    const sent = (body as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion;
    if (sent !== undefined && sent !== object.metadata.resourceVersion) {
      return status(409, 'Conflict', `Operation cannot be fulfilled on ${objectPath}: the object has been modified; please apply your changes to the latest version and try again`);
    }
    if (this.invalidOnce.delete(objectPath)) {
      return status(422, 'Invalid', `${objectPath.split('/').slice(-2).join('/')} is invalid: spec.http[0].route[0].weight: Invalid value: 101: must be between 0 and 100`);
    }
    const merged = (contentType === 'application/strategic-merge-patch+json' ? strategicMerge(object, body) : mergePatch(object, body)) as KubeObject;
    merged.metadata.resourceVersion = String(++this.version);
    if (isDeployment(objectPath) && JSON.stringify(merged.spec) !== JSON.stringify(object.spec)) {
      merged.metadata.generation = Number(object.metadata.generation ?? 1) + 1;
    }
    this.objects.set(objectPath, merged);
    return send(200, merged);
  }
}

const isDeployment = (objectPath: string): boolean => objectPath.startsWith('/apis/apps/') && objectPath.includes('/deployments/');

/** What the Deployment controller reports once the rollout is done: every wanted replica updated and ready. */
function syncStatus(object: KubeObject): void {
  const replicas = ((object.spec as { replicas?: number } | undefined)?.replicas ?? 1);
  object.status = { observedGeneration: object.metadata.generation, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 7386: objects merge key by key, null deletes, anything else (arrays included) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'containers' && Array.isArray(value) && Array.isArray(out[key])) {
      const containers = out[key] as Array<Record<string, unknown>>;
      for (const change of value as Array<Record<string, unknown>>) {
        const i = containers.findIndex((c) => c.name === change.name);
        if (i >= 0) containers[i] = strategicMerge(containers[i], change) as Record<string, unknown>;
        else containers.push(change);
      }
    } else out[key] = strategicMerge(out[key], value);
  }
  return out;
}

import { finding, isKubectl, kubectlVerbs, type LintContext, type StaticRule } from '../context.js';
import { hasFlag, KUBECTL_SHORT_VALUES, type Invocation } from '../shell.js';

/**
 * missing-namespace (info): in a runbook that names its namespace (`-n
 * nexus-platform`), a kubectl command without one acts on whatever namespace
 * the runner's kubeconfig points at: `kubectl apply -f k8s/canary/` (seed,
 * Canary step 1) or `istioctl analyze` (P1) look at `default`.
 *
 * docker-on-k8s (info): on a Kubernetes platform, `docker pull` on the runner
 * does not change what the pods run; kubelet pulls images on the nodes.
 *
 * kubectl-patch-crd (error): see below.
 */

const CLUSTER_SCOPED = new Set([
  'node', 'nodes', 'no', 'pv', 'persistentvolume', 'persistentvolumes', 'namespace', 'namespaces', 'ns',
  'clusterrole', 'clusterroles', 'clusterrolebinding', 'clusterrolebindings', 'crd', 'crds', 'customresourcedefinition',
  'customresourcedefinitions', 'storageclass', 'storageclasses', 'sc', 'priorityclass', 'priorityclasses', 'pc',
  'ingressclass', 'ingressclasses', 'apiservice', 'apiservices', 'csr', 'certificatesigningrequest',
  'certificatesigningrequests', 'mutatingwebhookconfiguration', 'mutatingwebhookconfigurations',
  'validatingwebhookconfiguration', 'validatingwebhookconfigurations', 'runtimeclass', 'runtimeclasses',
  'volumeattachment', 'volumeattachments', 'componentstatus', 'componentstatuses', 'cs',
]);

/** Verbs that act on namespaced objects; the others (cluster-info, cordon, config, …) never need one. */
const NAMESPACED_VERBS = new Set([
  'get', 'describe', 'logs', 'exec', 'delete', 'scale', 'patch', 'apply', 'set', 'rollout', 'top', 'port-forward',
  'create', 'edit', 'label', 'annotate', 'expose', 'autoscale', 'cp', 'wait', 'debug', 'attach', 'run', 'replace',
]);

function namespaceOf(call: Invocation): string | null {
  const args = call.args.map((arg) => arg.value);
  for (let k = 0; k < args.length; k++) {
    const value = args[k]!;
    if (value === '--') break; // what follows belongs to the command run in the container
    if (value === '-A' || value === '--all-namespaces') return '*';
    if (value === '-n' || value === '--namespace') return args[k + 1] ?? '';
    const inline = /^(?:--namespace=|-n=?)(.+)$/.exec(value);
    if (inline) return inline[1]!;
  }
  return null;
}

function needsNamespace(call: Invocation): boolean {
  if (call.program === 'istioctl') return call.args[0]?.value === 'analyze';
  if (!isKubectl(call)) return false;
  const [verb, resource = ''] = kubectlVerbs(call);
  if (!verb || !NAMESPACED_VERBS.has(verb)) return false;
  if (verb === 'create' && CLUSTER_SCOPED.has(resource)) return false;
  // Manifests (`apply -f k8s/canary/`, `… | kubectl apply -f -`) usually carry their own namespace.
  if (['apply', 'create', 'replace', 'delete'].includes(verb) && hasFlag(call.args, { long: ['--filename', '--kustomize'], short: ['f', 'k'] }, { takesValue: KUBECTL_SHORT_VALUES })) {
    return false;
  }
  if (['get', 'describe', 'delete', 'top', 'label', 'annotate', 'edit', 'patch'].includes(verb)) {
    const types = resource.split('/')[0]!.split(',');
    if (resource !== '' && types.every((type) => CLUSTER_SCOPED.has(type.split('.')[0]!))) return false;
  }
  return true;
}

const usual = new WeakMap<LintContext, string | null>();

/** The namespace the runbook names most often, or null when it never names one. */
function usualNamespace(context: LintContext): string | null {
  if (usual.has(context)) return usual.get(context)!;
  const counts = new Map<string, number>();
  for (const call of context.targets.flatMap((t) => t.calls)) {
    const ns = isKubectl(call) ? namespaceOf(call) : null;
    if (ns && ns !== '*' && !ns.startsWith('$')) counts.set(ns, (counts.get(ns) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  usual.set(context, best);
  return best;
}

export const missingNamespace: StaticRule = (target, context) =>
  target.calls.flatMap((call) => {
    if (call.where !== 'runner' || !needsNamespace(call) || namespaceOf(call) !== null) return [];
    const ns = usualNamespace(context);
    if (!ns) return [];
    const name = call.program === 'istioctl' ? 'istioctl analyze' : `${call.program} ${kubectlVerbs(call).slice(0, 2).join(' ')}`;
    return [
      finding(target, 'missing-namespace', 'info', `${name} names no namespace, so it acts on the runner's current kubeconfig namespace`, `add -n ${ns} like the rest of this runbook (or -A for all namespaces)`),
    ];
  });

const DOCKER_RUNTIME_VERBS = new Set(['pull', 'run', 'exec', 'restart', 'stop', 'start', 'rm', 'ps', 'logs', 'kill']);

export const dockerOnKubernetes: StaticRule = (target, context) =>
  target.calls.flatMap((call) => {
    if (!context.usesKubectl || call.where !== 'runner' || (call.program !== 'docker' && call.program !== 'podman')) return [];
    const verb = call.args[0]?.value ?? '';
    if (!DOCKER_RUNTIME_VERBS.has(verb)) return [];
    return [
      finding(
        target,
        'docker-on-k8s',
        'info',
        `${call.program} ${verb} acts on the runner's container engine, not on the Kubernetes cluster this runbook operates`,
        verb === 'pull'
          ? 'to run a new image, change the deployment: kubectl set image deployment/<name> <container>=<image> (kubelet pulls it on the nodes)'
          : 'use the kubectl equivalent (kubectl get pods, kubectl logs, kubectl rollout restart)',
      ),
    ];
  });

/**
 * kubectl-patch-crd (error): `kubectl patch` sends a strategic merge patch
 * unless told otherwise, and custom resources do not accept one: the API
 * server answers 415 UnsupportedMediaType (kubernetes/kubernetes#97423). The
 * seed's Istio VirtualService patches (Blue-Green, Canary) all fail so.
 */
const BUILTIN_KINDS = new Set([
  'pod', 'pods', 'po', 'deployment', 'deployments', 'deploy', 'service', 'services', 'svc', 'configmap', 'configmaps', 'cm',
  'secret', 'secrets', 'statefulset', 'statefulsets', 'sts', 'daemonset', 'daemonsets', 'ds', 'replicaset', 'replicasets',
  'rs', 'job', 'jobs', 'cronjob', 'cronjobs', 'cj', 'ingress', 'ingresses', 'ing', 'serviceaccount', 'serviceaccounts', 'sa',
  'persistentvolumeclaim', 'persistentvolumeclaims', 'pvc', 'role', 'roles', 'rolebinding', 'rolebindings', 'networkpolicy',
  'networkpolicies', 'netpol', 'horizontalpodautoscaler', 'horizontalpodautoscalers', 'hpa', 'poddisruptionbudget',
  'poddisruptionbudgets', 'pdb', 'endpoints', 'ep', 'event', 'events', 'ev', 'limitrange', 'limitranges', 'limits',
  'resourcequota', 'resourcequotas', 'quota', 'replicationcontroller', 'replicationcontrollers', 'rc', ...CLUSTER_SCOPED,
]);

/** `virtualservice`, `virtualservice/name`, `virtualservices.networking.istio.io` → is it a custom resource? */
function isCustomResource(resource: string): boolean {
  const [kind = '', ...group] = resource.split('/')[0]!.toLowerCase().split('.');
  const apiGroup = group.join('.');
  const builtinGroup = apiGroup === '' || ['apps', 'batch', 'policy', 'autoscaling'].includes(apiGroup) || apiGroup.endsWith('k8s.io');
  return !(BUILTIN_KINDS.has(kind) && builtinGroup);
}

export const kubectlPatchCrd: StaticRule = (target) =>
  target.calls.flatMap((call) => {
    if (!isKubectl(call)) return [];
    const [verb, resource] = kubectlVerbs(call);
    if (verb !== 'patch' || !resource || !isCustomResource(resource)) return [];
    const type = call.args.map((arg) => arg.value).find((v, k, all) => v.startsWith('--type=') || all[k - 1] === '--type');
    if (type !== undefined && !/strategic$/.test(type)) return [];
    return [
      finding(
        target,
        'kubectl-patch-crd',
        'error',
        `kubectl patch ${resource.split('/')[0]} sends a strategic merge patch, which custom resources refuse (415 UnsupportedMediaType)`,
        'add --type=merge (a JSON object like this one is a merge patch), or --type=json for a JSON Patch list',
      ),
    ];
  });

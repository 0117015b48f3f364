import { KubeConfig, type ApiException } from '@kubernetes/client-node';
import { ConfigError } from './config.js';

/**
 * NEXUS_KUBECONFIG's file, or the default chain (KUBECONFIG, ~/.kube/config,
 * then the pod's service account). Said once, naming the setting; the file's
 * contents (tokens) are never repeated.
 */
export function loadKubeConfig(kubeconfig: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (kubeconfig) kc.loadFromFile(kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    throw new ConfigError('NEXUS_KUBECONFIG', `cannot load ${kubeconfig ?? 'the default kubeconfig'}: ${(error as Error).message.split('\n')[0]!.slice(0, 200)}`);
  }
  return kc;
}

/** The API server's Status message of a refusal, cut short: never headers, never the request (it may carry keys). */
export function kubeStatusMessage(error: ApiException<unknown>, maxLength: number): string {
  let body: unknown = error.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown;
    } catch {
      body = undefined;
    }
  }
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message.slice(0, maxLength) : 'no message';
}

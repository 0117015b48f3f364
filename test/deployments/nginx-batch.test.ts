import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NginxRouter, renderUpstream } from '../../src/deployments/nginx.js';
import { createLogger } from '../../src/platform/logger.js';
import { measureSplit, SERVICE, share, startVersion, TestNginx, type ServiceVersion } from './support.js';

/**
 * Many deployments at once: changes that wait while nginx reloads go in
 * together (one `nginx -t`, one reload), and one bad file in a batch does
 * not take the others down with it.
 */
describe('nginx router batches waiting changes', () => {
  let nginx: TestNginx;
  let v1: ServiceVersion;
  let v2: ServiceVersion;
  let router: NginxRouter;
  let reloads: string;

  beforeAll(async () => {
    v1 = await startVersion('v1');
    v2 = await startVersion('v2');
    nginx = await TestNginx.start(v1);
    const env = nginx.env;
    reloads = path.join(nginx.dir, 'reloads.log');
    const args = `-p ${env.NEXUS_NGINX_PREFIX!} -c ${env.NEXUS_NGINX_CONF!}`;
    router = new NginxRouter(
      {
        upstreamDir: env.NEXUS_NGINX_UPSTREAM_DIR!,
        binary: 'nginx',
        prefix: env.NEXUS_NGINX_PREFIX,
        conf: env.NEXUS_NGINX_CONF,
        pidFile: env.NEXUS_NGINX_PID_FILE,
        // Counts reloads, then does the real one.
        reloadCommand: ['sh', '-c', `echo reload >> ${reloads} && nginx ${args} -s reload`],
      },
      createLogger('silent'),
    );
  });
  afterAll(async () => {
    await nginx?.stop();
    await v1?.close();
    await v2?.close();
  });

  const split = (weight: number, upstream = v2.address) => [
    { version: 'v1', upstream: v1.address, weight: 100 - weight },
    { version: 'v2', upstream, weight },
  ];
  const reloadCount = async () => (await fs.readFile(reloads, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

  it('four changes at once take two reloads, and each is in place when its apply returns', async () => {
    const results = await Promise.all([router.apply(SERVICE, split(25)), router.apply('svc-a', split(10)), router.apply('svc-b', split(50)), router.apply('svc-c', split(75))]);
    expect(results).toEqual([{ changed: true }, { changed: true }, { changed: true }, { changed: true }]);
    expect(await reloadCount()).toBe(2);
    expect(await router.current('svc-c')).toEqual(split(75));
    expect(Math.abs(share(await measureSplit(nginx.url, 1000), 'v2') - 25)).toBeLessThanOrEqual(5);
  });

  it('a file nginx refuses fails only its own change; the others in its batch go in, and the refused one is put back', async () => {
    const before = await router.current('svc-b');
    const [first, good, bad, other] = await Promise.allSettled([
      router.apply(SERVICE, split(0)),
      router.apply('svc-a', split(20)),
      router.apply('svc-b', split(30, 'no-such-host.invalid:8080')),
      router.apply('svc-c', split(40)),
    ]);
    expect(first).toEqual({ status: 'fulfilled', value: { changed: true } });
    expect(good).toEqual({ status: 'fulfilled', value: { changed: true } });
    expect(other).toEqual({ status: 'fulfilled', value: { changed: true } });
    expect(bad.status).toBe('rejected');
    expect(String((bad as PromiseRejectedResult).reason)).toMatch(/nginx refused the configuration for svc-b: .*no-such-host\.invalid/);
    expect(await router.current('svc-b')).toEqual(before);
    expect(await router.current('svc-a')).toEqual(split(20));
    expect(await measureSplit(nginx.url, 200)).toEqual({ v1: 200 });
  });

  it('two changes of one service in the same wait are applied in order, the later one last', async () => {
    await Promise.all([router.apply('svc-c', split(10)), router.apply('svc-c', split(60)), router.apply('svc-c', split(90))]);
    expect(await router.current('svc-c')).toEqual(split(90));
  });

  it('a file written but not yet reloaded (a restart in between) is reloaded by the next apply of the same backends, then left alone', async () => {
    await router.apply(SERVICE, split(0));
    // What a NEXUS that died after writing and before reloading leaves: the new file, nginx still on the old one.
    await fs.writeFile(path.join(upstreamDir(), `${SERVICE}.conf`), renderUpstream(SERVICE, split(50), true));
    expect(await measureSplit(nginx.url, 200)).toEqual({ v1: 200 });
    expect(await router.current(SERVICE)).toBeNull();

    const reloadsBefore = await reloadCount();
    expect(await router.apply(SERVICE, split(50))).toEqual({ changed: true });
    expect(await reloadCount()).toBe(reloadsBefore + 1);
    expect(await router.current(SERVICE)).toEqual(split(50));
    expect(await measureSplit(nginx.url, 200)).toEqual({ v1: 100, v2: 100 });

    expect(await router.apply(SERVICE, split(50))).toEqual({ changed: false });
    expect(await reloadCount()).toBe(reloadsBefore + 1);
  });

  const upstreamDir = () => nginx.env.NEXUS_NGINX_UPSTREAM_DIR!;
});

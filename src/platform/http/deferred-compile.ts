import { createRequire } from 'node:module';
import type { FastifyInstance, FastifySerializerCompiler } from 'fastify';

/**
 * Route schemas compile when a route first needs them instead of while the
 * app is built: compiling every route's validators and response serializers
 * was the largest part of a start after loading the code
 * (docs/benchmarks/2026-12-07-start.md). Once the server listens, whatever
 * is still uncompiled is compiled in the background, one schema per turn of
 * the event loop, so requests soon find everything compiled, as before.
 */
export interface DeferredCompiles {
  /** `build` runs once: at the first call of the returned function or in the warm-up, whichever comes first. */
  defer<T>(build: () => T): () => T;
}

export function deferCompiles(app: FastifyInstance): DeferredCompiles {
  const pending = new Set<() => unknown>();
  let warming = false;
  let closing = false;
  const warmUp = () => {
    const next = pending.values().next();
    if (closing || next.done) return;
    try {
      next.value();
    } catch (error) {
      // The route's first request meets the same error (and answers 500); the log says which schema.
      pending.delete(next.value);
      app.log.error({ err: error }, 'a route schema does not compile');
    }
    setImmediate(warmUp);
  };
  // Children inherit the hook, so it runs once per plugin context: the first starts the warm-up.
  app.addHook('onListen', async () => {
    if (warming) return;
    warming = true;
    setImmediate(warmUp);
  });
  app.addHook('preClose', async () => {
    closing = true;
  });
  return {
    defer<T>(build: () => T) {
      let built: { value: T } | null = null;
      const get = (): T => {
        if (!built) {
          built = { value: build() };
          pending.delete(get);
        }
        return built.value;
      };
      pending.add(get);
      return get;
    },
  };
}

type SerializerBuilder = (externalSchemas: unknown, options?: unknown) => FastifySerializerCompiler<unknown>;

// Fastify's own default serializer compiler (its dependency, resolved from where Fastify is), so the
// serializers are the ones Fastify would have built. Fastify's `serializerOpts` option is not read:
// NEXUS sets none; a route that brings its own serializerCompiler keeps it.
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
const buildSerializers = (fromFastify('@fastify/fast-json-stringify-compiler') as () => SerializerBuilder)();

/** Every route's response serializers, compiled on first use against the shared schemas of the route's own context. */
export function deferSerializers(app: FastifyInstance, compiles: DeferredCompiles): void {
  app.addHook('onRoute', function (this: FastifyInstance, route) {
    if (route.serializerCompiler) return;
    route.serializerCompiler = (target) => {
      const serializer = compiles.defer(() => buildSerializers(this.getSchemas())(target));
      return (data) => serializer()(data);
    };
  });
}

import type { FastifyInstance, FastifySchema } from 'fastify';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { deferCompiles, deferSerializers } from './deferred-compile.js';

type HttpPart = 'body' | 'querystring' | 'params' | 'headers';

function createAjv(coerceTypes: false | 'array'): Ajv {
  // allErrors stays off: reporting every error of a hostile body is a DoS lever.
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
  addFormats.default(ajv);
  return ajv;
}

/**
 * What schemas cannot say: ajv coerces "1e309" to Infinity and then lets it
 * pass integer/maximum checks, and PostgreSQL text cannot hold NUL (%00).
 */
function firstUnusable(value: unknown, path: string): { path: string; message: string } | null {
  if (typeof value === 'number' && !Number.isFinite(value)) return { path, message: 'must be a finite number' };
  if (typeof value === 'string' && value.includes('\0')) return { path, message: 'must not contain NUL (%00)' };
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = firstUnusable(inner, `${path}/${key}`);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Bodies are JSON and already typed: `true` must not become "true". Query
 * strings and path parameters are text by nature, so they are coerced.
 * Validators and response serializers compile on first use, or in the
 * background once the server listens (deferred-compile.ts).
 */
export function installValidation(app: FastifyInstance): void {
  // Made with the first validator that needs them, like the validators themselves.
  let strict: Ajv | undefined;
  let coercing: Ajv | undefined;
  const ajvFor = (part: HttpPart) => (part === 'body' ? (strict ??= createAjv(false)) : (coercing ??= createAjv('array')));
  const compiles = deferCompiles(app);
  app.setValidatorCompiler(({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) => {
    const part = (httpPart ?? 'body') as HttpPart;
    const validator = compiles.defer(() => ajvFor(part).compile(schema as object));
    const checked = ((data: unknown) => {
      const validate = validator();
      const ok = validate(data);
      checked.errors = validate.errors;
      if (!ok || part === 'body') return ok;
      const unusable = firstUnusable(data, '');
      if (unusable === null) return true;
      checked.errors = [
        { instancePath: unusable.path, keyword: 'type', params: {}, schemaPath: '#', message: unusable.message },
      ];
      return false;
    }) as ValidateFunction;
    return checked;
  });
  deferSerializers(app, compiles);
}

import zlib from 'node:zlib';
import compress from '@fastify/compress';
import { Negotiator } from '@fastify/accept-negotiator';
import type { App } from './types.js';

/** Below this a response goes as it is: compressing it costs more than the bytes it saves. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

export type ContentEncoding = 'br' | 'gzip';

/** Brotli's quality for every answer, shared or not (11, zlib's default, is far too slow to do per request). */
const BROTLI_QUALITY = 4;

/**
 * Brotli told the input's size, so it sizes its window to it: faster than
 * without the hint, and faster and smaller than gzip
 * (docs/benchmarks/2026-11-27-http.md).
 */
function brotliOptions(size: number): zlib.BrotliOptions {
  return { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size } };
}

/**
 * Clients send the same few Accept-Encoding headers over and over, so the
 * negotiator caches its answers; bounded, because a client can send any header.
 */
class BoundedCache extends Map<string, string> {
  constructor(private readonly maxEntries: number) {
    super();
  }

  override set(key: string, value: string): this {
    if (this.size >= this.maxEntries && !this.has(key)) this.clear();
    return super.set(key, value);
  }
}

const negotiator = new Negotiator<ContentEncoding>({ supportedValues: ['br', 'gzip'], cache: new BoundedCache(64) });

/** The encoding to answer a request with, from its Accept-Encoding (q-values honoured), or null for none. */
export function negotiateEncoding(acceptEncoding: string | string[] | undefined): ContentEncoding | null {
  if (typeof acceptEncoding !== 'string' || acceptEncoding === '') return null;
  return negotiator.negotiate(acceptEncoding);
}

/**
 * Compresses on the event loop: for a body of tens of KB that is cheaper than
 * zlib's asynchronous path, whose stream machinery costs more CPU per call
 * than the work itself (docs/benchmarks/2026-11-27-http.md). Meant for bodies shared by many
 * responses (one compression per shared read), not for one per request.
 */
export function compressBody(body: Buffer, encoding: ContentEncoding): Buffer {
  return encoding === 'br' ? zlib.brotliCompressSync(body, brotliOptions(body.length)) : zlib.gzipSync(body);
}

/**
 * Responses of 1 KB and more are compressed for clients that accept it
 * (browsers, and the CLI's fetch). A route whose answers are always tiny
 * opts out with `compress: false`; a route that sends bytes it compressed
 * itself sets Content-Encoding, and the plugin leaves those alone. Request
 * bodies are not decompressed: no NEXUS client sends them compressed, and
 * the body limit is meant for the bytes that arrive.
 */
export async function installCompression(app: App): Promise<void> {
  await app.register(compress, {
    global: true,
    globalDecompression: false,
    threshold: COMPRESS_THRESHOLD_BYTES,
    encodings: ['br', 'gzip', 'deflate'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
  });
}

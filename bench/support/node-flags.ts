/**
 * Servers in the benchmarks run on the Node flags that `bin/nexus` starts
 * NEXUS with (its `#!/usr/bin/env -S node …` line): NEXUS as `npm start` runs
 * it, and the Node floors it is compared with on the same terms.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const SHEBANG = /^#!\/usr\/bin\/env -S node((?:\s+--[a-z0-9-]+(?:=\S+)?)*)\s*$/;

export function nexusNodeFlags(root: string): string[] {
  const first = readFileSync(path.join(root, 'bin/nexus'), 'utf8').split('\n', 1)[0] ?? '';
  const match = SHEBANG.exec(first);
  if (!match) throw new Error(`bin/nexus: cannot read Node flags from its first line ${JSON.stringify(first)}`);
  return match[1]!.trim().split(/\s+/).filter(Boolean);
}

/** Arguments for `process.execPath` that run a TypeScript server script with those flags. */
export function serverArgs(root: string, script: string): string[] {
  return [...nexusNodeFlags(root), '--import', 'tsx', script];
}

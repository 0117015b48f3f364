import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('npm run lint refuses imports that go around a face', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: repoRoot });
  });

  /** The face rule's messages for `code` as if it were the file at `filePath`. */
  async function faceFindings(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.filter((m) => m.ruleId === 'nexus/faces').map((m) => m.message);
  }
  const valueImport = (source: string) => `import { thing } from '${source}';\nexport const used = thing;\n`;
  const typeImport = (source: string) => `import type { Thing } from '${source}';\nexport type Used = Thing;\n`;

  it("a domain importing another domain's store is refused, pointing at the face", async () => {
    expect(await faceFindings('src/alerts/planted.ts', valueImport('../incidents/store.js'))).toEqual([
      "'../incidents/store.js' reaches inside the incidents domain: import '../incidents/index.js' (add to its index.ts what you need).",
    ]);
  });

  it("the same import through the domain's index.ts passes", async () => {
    expect(await faceFindings('src/alerts/planted.ts', valueImport('../incidents/index.js'))).toEqual([]);
  });

  it("runbooks' sub-folders are internal: runs/index.ts is not the runbooks face", async () => {
    expect(await faceFindings('src/incidents/planted.ts', typeImport('../runbooks/runs/index.js'))).toHaveLength(1);
    expect(await faceFindings('src/incidents/planted.ts', typeImport('../runbooks/index.js'))).toEqual([]);
  });

  it('a deeper file reaching into another domain is refused; inside its own domain it may go anywhere', async () => {
    expect(await faceFindings('src/runbooks/runs/planted.ts', valueImport('../../runners/exec.js'))).toHaveLength(1);
    expect(await faceFindings('src/runbooks/runs/planted.ts', valueImport('../library/service.js'))).toEqual([]);
  });

  it('a dynamic import() is checked like a static one', async () => {
    const code = "export const load = () => import('../notify/delivery.js');\n";
    expect(await faceFindings('src/incidents/planted.ts', code)).toHaveLength(1);
  });

  it('platform imports no domain, not even its face', async () => {
    expect(await faceFindings('src/platform/http/planted.ts', valueImport('../../alerts/index.js'))).toEqual([
      "platform/ must not import '../../alerts/index.js': platform serves every domain and depends on none.",
    ]);
  });

  it('a domain does not import the app or the CLI: what it needs comes in through its register function', async () => {
    expect(await faceFindings('src/notify/planted.ts', valueImport('../app.js'))).toHaveLength(1);
    expect(await faceFindings('src/notify/planted.ts', valueImport('../cli/client.js'))).toHaveLength(1);
  });

  it('app.ts composes domains through their faces only', async () => {
    expect(await faceFindings('src/app.ts', valueImport('./runners/local.js'))).toHaveLength(1);
    expect(await faceFindings('src/app.ts', valueImport('./runners/index.js'))).toEqual([]);
  });

  it('the CLI may take types from a face, but not load it', async () => {
    expect(await faceFindings('src/cli/planted.ts', typeImport('../runbooks/index.js'))).toEqual([]);
    expect(await faceFindings('src/cli/planted.ts', valueImport('../runbooks/index.js'))).toHaveLength(1);
  });

  it('the CLI may load the listed pure modules, and no other server module', async () => {
    expect(await faceFindings('src/cli/planted.ts', valueImport('../runbooks/risk.js'))).toEqual([]);
    expect(await faceFindings('src/cli/planted.ts', valueImport('../runners/registry.js'))).toHaveLength(1);
    expect(await faceFindings('src/cli/planted.ts', valueImport('../platform/db/index.js'))).toHaveLength(1);
    expect(await faceFindings('src/cli/planted.ts', valueImport('../server.js'))).toHaveLength(1);
  });

  it('only `nexus serve` (cli/serve.ts) may start the server', async () => {
    expect(await faceFindings('src/cli/serve.ts', valueImport('../server.js'))).toEqual([]);
  });

  it("a table may name another domain's table for a foreign key", async () => {
    expect(await faceFindings('src/runners/tables.ts', valueImport('../runbooks/tables.js'))).toEqual([]);
    expect(await faceFindings('src/runners/store.ts', valueImport('../runbooks/tables.js'))).toHaveLength(1);
  });
});

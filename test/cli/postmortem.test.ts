import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import type { Incident, Postmortem } from '../../src/incidents/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { call, openIncident } from '../incidents/support.js';

const BIN = path.resolve('bin/nexus');
let t: TestApp;
let tmp: string;

/** The real `./bin/nexus` with EDITOR (and whatever else) set; stdin is not a terminal. */
function nexus(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      BIN,
      args,
      { env: { ...process.env, NEXUS_URL: t.server.url, NEXUS_TOKEN: t.tokens.responder, NO_COLOR: '1', VISUAL: '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

/** An "editor": a shell script that gets the file as "$1", as a real one would. */
async function editor(name: string, body: string): Promise<string> {
  const file = path.join(tmp, name);
  await fs.writeFile(file, `#!/bin/sh\nset -e\n${body}\n`, { mode: 0o755 });
  return file;
}

async function stored(incident: Incident): Promise<Postmortem> {
  return (await call<Postmortem>(t, 'viewer', 'GET', `/api/v1/incidents/${incident.id}/postmortem`)).body;
}

beforeAll(async () => {
  t = await createTestApp('pglite', { start: { listen: true } });
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-cli-pm-'));
});
afterAll(async () => {
  await t?.close();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('nexus postmortem', () => {
  it('edit opens $EDITOR on a file only the user can read and saves the edit as a new version', async () => {
    const incident = await openIncident(t, { severity: 'P2', title: 'Cache stampede' });
    const seen = path.join(tmp, 'seen');
    const append = await editor('append.sh', `stat -c '%a %n' "$1" > '${seen}'\nprintf '\\n## Root cause\\n\\nThe TTLs all expired at once.\\n' >> "$1"`);
    const res = await nexus(['postmortem', 'edit', incident.id.slice(0, 8)], { EDITOR: append });
    expect(res).toMatchObject({ code: EXIT.ok, stdout: `Saved post-mortem version 1 of incident ${incident.id}\n` });
    const [mode, file] = (await fs.readFile(seen, 'utf8')).trim().split(' ');
    expect(mode).toBe('600');
    // Saved, so the temporary file and its directory are gone.
    await expect(fs.stat(path.dirname(file!))).rejects.toMatchObject({ code: 'ENOENT' });

    const pm = await stored(incident);
    expect(pm).toMatchObject({ version: 1, generated: false, editedBy: 'responder-user' });
    expect(pm.markdown).toMatch(/^# Post-mortem: Cache stampede\n/);
    expect(pm.markdown.endsWith('\n## Root cause\n\nThe TTLs all expired at once.\n')).toBe(true);
    const shown = await nexus(['postmortem', 'show', incident.id], {});
    expect(shown.stdout).toBe(pm.markdown);
  });

  it('an unchanged file saves nothing; a failing editor or an empty file saves nothing and exits 1', async () => {
    const incident = await openIncident(t, { severity: 'P3', title: 'Nothing to add' });
    const unchanged = await nexus(['postmortem', 'edit', incident.id], { EDITOR: 'true' });
    expect(unchanged).toMatchObject({ code: EXIT.ok, stdout: '', stderr: 'No changes; nothing saved (the post-mortem stays at version 0).\n' });
    const failing = await nexus(['postmortem', 'edit', incident.id], { EDITOR: await editor('fail.sh', 'echo "## half" >> "$1"; exit 3') });
    expect(failing.code).toBe(EXIT.failure);
    expect(failing.stderr).toMatch(/exited with 3; nothing was saved\n$/);
    const empty = await nexus(['postmortem', 'edit', incident.id], { EDITOR: await editor('empty.sh', ': > "$1"') });
    expect(empty).toMatchObject({ code: EXIT.failure, stderr: 'nexus: the post-mortem is empty; nothing saved\n' });
    expect((await stored(incident)).version).toBe(0);
  });

  it('an edit saved by someone else while the editor was open is not overwritten: exit 6, the text kept in the file', async () => {
    const incident = await openIncident(t, { severity: 'P1', title: 'Checkout down' });
    // While "our" editor is open, a colleague saves their version through the API.
    const theirs = `fetch(process.env.NEXUS_URL + '/api/v1/incidents/${incident.id}/postmortem', {
      method: 'PUT',
      headers: { authorization: 'Bearer ' + process.env.OTHER_TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify({ markdown: '# Theirs\\n', baseVersion: 0 }),
    }).then((res) => process.exit(res.ok ? 0 : 1))`;
    await fs.writeFile(path.join(tmp, 'theirs.mjs'), theirs);
    const racing = await editor('race.sh', `node '${path.join(tmp, 'theirs.mjs')}'\nprintf '\\nMine.\\n' >> "$1"`);
    const res = await nexus(['postmortem', 'edit', incident.id], { EDITOR: racing, OTHER_TOKEN: t.tokens.operator });
    expect(res.code).toBe(EXIT.conflict);
    const kept = /Your text is kept in (\S+):/.exec(res.stderr)?.[1];
    expect(kept).toBeDefined();
    expect(res.stderr).toContain('nothing was overwritten');
    expect((await fs.readFile(kept!, 'utf8')).endsWith('\nMine.\n')).toBe(true);
    expect((await fs.stat(kept!)).mode & 0o777).toBe(0o600);
    expect(await stored(incident)).toMatchObject({ version: 1, markdown: '# Theirs\n', editedBy: 'operator-user' });
    await fs.rm(path.dirname(kept!), { recursive: true, force: true });
  });

  it('without VISUAL or EDITOR and without a terminal it is a usage error; a viewer cannot save', async () => {
    const incident = await openIncident(t, { severity: 'P3', title: 'No editor' });
    const res = await nexus(['postmortem', 'edit', incident.id], { EDITOR: '' });
    expect(res).toMatchObject({
      code: EXIT.usage,
      stderr: 'nexus: no editor: VISUAL and EDITOR are not set and there is no terminal for vi\nhint: set EDITOR, e.g. EDITOR=nano\n',
    });
    // A viewer may read but not save; what they typed is not lost.
    const denied = await nexus(['postmortem', 'edit', incident.id], { EDITOR: await editor('note.sh', 'echo note >> "$1"'), NEXUS_TOKEN: t.tokens.viewer });
    expect(denied.code).toBe(EXIT.unauthorized);
    const kept = /your text is kept in (\S+)\)/.exec(denied.stderr)?.[1];
    expect((await fs.readFile(kept!, 'utf8')).endsWith('note\n')).toBe(true);
    await fs.rm(path.dirname(kept!), { recursive: true, force: true });
    expect((await stored(incident)).version).toBe(0);
  });
});

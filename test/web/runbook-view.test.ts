import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbooks/parser/index.js';
import { parametersOf } from '../../src/runbooks/runs/params.js';
import { describeCounts, findingsWithin, placeFindings, segmentCode, worstSeverity } from '../../web/src/runbooks/lint-placement.js';
import { uniqueSlugger } from '../../web/src/runbooks/markdown-anchors.js';
import type { Command, Finding, Procedure } from '../../web/src/runbooks/model.js';
import { declaredParameters, looksSecret, requiredParameters } from '../../web/src/runbooks/parameters.js';
import { lineChanges, procedureChanges } from '../../web/src/runbooks/version-diff.js';

const command = (id: string, line: number, endLine = line, extra: Partial<Command> = {}): Command => ({
  id,
  text: `echo ${id}`,
  line,
  endLine,
  language: 'bash',
  description: null,
  placeholders: [],
  assigns: [],
  annotations: {},
  ...extra,
});

const finding = (line: number, extra: Partial<Finding> = {}): Finding => ({
  rule: 'curl-url-unquoted',
  severity: 'warning',
  line,
  message: 'm',
  hint: 'h',
  ...extra,
});

const procedure = (id: string, commands: Command[]): Procedure => ({
  id,
  title: id,
  line: 1,
  group: null,
  metadata: { severity: null, priority: null, responseTime: null, resolutionTime: null, extra: {} },
  symptoms: [],
  prose: [],
  phases: [{ id: `${id}-p`, title: 'Steps', line: 2, implicit: true, checks: [], prose: [], steps: [{ id: `${id}-s`, number: 1, title: 'Do', line: 3, commands, checks: [], prose: [] }] }],
});

describe('lint findings on the rendered runbook', () => {
  const commands = [command('a', 10), command('b', 12, 14)];

  it('puts a finding under the command it names, or whose lines hold it, and keeps the rest for their block', () => {
    const placed = placeFindings(
      [finding(10, { commandId: 'a' }), finding(13), finding(12, { commandId: 'gone', rule: 'x' }), finding(3, { rule: 'parse-error', severity: 'error' })],
      commands,
    );
    expect(placed.byCommand.get('a')?.map((f) => f.line)).toEqual([10]);
    // A continuation line of b, and an id this version no longer has but a line b covers.
    expect(placed.byCommand.get('b')?.map((f) => [f.line, f.rule])).toEqual([
      [13, 'curl-url-unquoted'],
      [12, 'x'],
    ]);
    expect(placed.other.map((f) => f.rule)).toEqual(['parse-error']);
    expect(findingsWithin(placed.other, 1, 5)).toHaveLength(1);
    expect(findingsWithin(placed.other, 4, 9)).toHaveLength(0);
  });

  it('splits a code block into its commands (continuations included) and the lines between them', () => {
    const text = ['# check the pods', 'kubectl get pods \\', '  -n nexus', '', 'curl -s http://x', 'output line'].join('\n');
    const segments = segmentCode(text, 20, [command('get', 21, 22), command('curl', 24), command('elsewhere', 40)]);
    expect(segments.map((s) => [s.kind, s.line, s.text])).toEqual([
      ['text', 20, '# check the pods'],
      ['command', 21, 'kubectl get pods \\\n  -n nexus'],
      ['text', 23, ''],
      ['command', 24, 'curl -s http://x'],
      ['text', 25, 'output line'],
    ]);
  });

  it('summarises a report in words and by its worst finding', () => {
    expect(describeCounts({ errors: 2, warnings: 1, infos: 0 })).toBe('2 errors, 1 warning');
    expect(describeCounts({ errors: 0, warnings: 0, infos: 0 })).toBe('no findings');
    expect(worstSeverity([finding(1, { severity: 'info' }), finding(2, { severity: 'error' })])).toBe('error');
    expect(worstSeverity([])).toBeNull();
  });
});

describe('asking for run parameters', () => {
  it('asks for placeholders no earlier command assigns, once each, never for shell-owned names', () => {
    const placeholder = (param: string) => ({ raw: `$${param}`, syntax: 'dollar' as const, param, line: 1 });
    const p = procedure('deploy', [
      command('c1', 10, 10, { placeholders: [placeholder('RELEASE_TAG'), placeholder('PATH')], assigns: ['BLUE_IP'] }),
      command('c2', 11, 11, { placeholders: [placeholder('BLUE_IP'), placeholder('RELEASE_TAG'), placeholder('S3_BUCKET'), placeholder('LD_PRELOAD')] }),
    ]);
    expect(requiredParameters(p)).toEqual(['RELEASE_TAG', 'S3_BUCKET']);
  });

  it('asks for exactly what the server will require, for every procedure of the built-in runbook', async () => {
    const parsed = parseRunbook(await fs.readFile('runbooks/nexus-platform.md', 'utf8'));
    for (const procedure of parsed.procedures) expect(requiredParameters(procedure), procedure.id).toEqual(parametersOf(procedure).required);
    expect(parsed.procedures.some((procedure) => requiredParameters(procedure).length > 0)).toBe(true);
  });

  it("reads the front matter's descriptions and examples in any of its three shapes", () => {
    const list = declaredParameters({ parameters: [{ name: 'S3_BUCKET', description: 'Backups bucket', example: 'nexus-backups' }, 'affected-pod'] });
    expect(Object.fromEntries(list)).toEqual({ S3_BUCKET: { description: 'Backups bucket', example: 'nexus-backups' }, AFFECTED_POD: {} });
    expect(Object.fromEntries(declaredParameters({ parameters: { release_tag: { description: 'Tag', default: 'v1' } } }))).toEqual({
      RELEASE_TAG: { description: 'Tag', example: 'v1' },
    });
    expect(declaredParameters({}).size).toBe(0);
    expect([looksSecret('DB_PASSWORD'), looksSecret('api_token'), looksSecret('RELEASE_TAG')]).toEqual([true, true, false]);
  });
});

describe('version history', () => {
  it('counts the lines a version adds and removes', () => {
    expect(lineChanges('a\nb\nc\nd', 'a\nb\nc\nd')).toEqual({ added: 0, removed: 0 });
    expect(lineChanges('a\nb\nc\nd', 'a\nx\nc\nd\ne')).toEqual({ added: 2, removed: 1 });
    expect(lineChanges('a\n', 'a\nb\n')).toEqual({ added: 1, removed: 0 });
  });

  it('names the procedures a version adds, removes and changes', () => {
    const before = { procedures: [procedure('keep', [command('k', 1)]), procedure('edit', [command('e', 2)]), procedure('drop', [])] };
    const after = {
      procedures: [procedure('keep', [command('k', 5)]), procedure('edit', [command('e', 2, 2, { text: 'echo changed' })]), procedure('new', [])],
    };
    // Moving a procedure (other lines) is not a change; a command's text is.
    expect(procedureChanges(before as never, after as never)).toEqual({ added: ['new'], removed: ['drop'], changed: ['edit'] });
  });
});

describe('heading anchors', () => {
  it('slugs headings as GitHub does and keeps repeated ones apart', () => {
    const slug = uniqueSlugger();
    expect(['Incident Response', 'P1 - Critical Service Down', 'Immediate Actions', 'Immediate Actions', 'Immediate Actions'].map(slug)).toEqual([
      'incident-response',
      'p1---critical-service-down',
      'immediate-actions',
      'immediate-actions-1',
      'immediate-actions-2',
    ]);
  });
});

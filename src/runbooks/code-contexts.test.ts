import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, type AppError } from '../platform/errors.js';
import { execute } from '../runners/index.js';
import { lintReport } from './lint/index.js';
import { codeContexts } from './code-contexts.js';
import { commandsOf, type Command, type ParsedRunbook } from './model.js';
import { parameterSpecs } from './parameters.js';
import { parseRunbook } from './parser/index.js';
import { checkParameters, UnsafeCommandError } from './runs/params.js';
import { rewritePlaceholders } from './runs/script.js';

/*
 * Hostile parameter values against every place bash can put a value, run
 * for real: the runbook goes through the real parser, lint and run-creation
 * checks, and what they let through runs the way the local runner runs it
 * (placeholders rewritten by runs/script.ts, `bash -o pipefail -c` from
 * runners/exec.ts, the value only in the environment). Each hostile value
 * tries to create a marker file; none may ever appear.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-params-'));
const marker = path.join(dir, 'pwned');
const touch = `touch ${marker}`;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Where a value lands; `$VALUE` or `<value>` is the parameter. */
interface Context {
  name: string;
  lines: string[];
  /** Fewer runs where each one starts extra processes. */
  runs?: number;
}

/** Places that only pass, compare or print the value: every value must run harmlessly. */
const DATA_CONTEXTS: Context[] = [
  { name: 'plain argument', lines: ['echo <value>'] },
  { name: 'inside double quotes', lines: ['echo "v=<value>"'] },
  { name: 'inside single quotes', lines: ["echo 'v=<value>'"] },
  { name: 'dollar reference', lines: ['printf "%s\\n" "$VALUE" $VALUE'] },
  { name: '[[ == ]] string compare', lines: ['[[ <value> == abc ]] && echo same || echo differ'] },
  { name: '[[ =~ ]] regex', lines: ['[[ "$VALUE" =~ ^[a-z]+$ ]] && echo letters || echo other'] },
  { name: '[ -gt ] (test builtin: integers only, never evaluated)', lines: ['[ <value> -gt 5 ] 2>/dev/null && echo high || echo low'] },
  { name: 'test -eq', lines: ['test "$VALUE" -eq 1 2>/dev/null && echo one || echo not-one'] },
  { name: 'printf %d', lines: ["printf '%d\\n' <value> 2>/dev/null || echo not-a-number"] },
  { name: 'case', lines: ['case <value> in a*) echo a ;; *) echo other ;; esac'] },
  { name: 'here-document', lines: ['cat <<EOF', 'value: $VALUE', 'EOF'] },
  { name: 'parameter operators', lines: ['echo "${#VALUE} ${VALUE:-empty} ${VALUE//a/b} ${VALUE#?}"'] },
  { name: 'copied and exported', lines: ['export COPY=<value>; echo "${#COPY}"'] },
  { name: 'pipe and xargs', lines: ["printf '%s' <value> | xargs -0 printf '[%s]\\n'"], runs: 40 },
  { name: 'kubectl-style argument', lines: ['echo kubectl logs <value> -n "$VALUE" --tail=10'] },
];

/** Places where bash evaluates the value as code: lint and run creation must refuse a text parameter there. */
const CODE_CONTEXTS: Context[] = [
  { name: '[[ -gt ]] (the issue)', lines: ['[[ <value> -gt 5 ]] && echo high'] },
  { name: '[[ -eq ]] with $VALUE', lines: ['[[ $VALUE -eq 5 ]] && echo five'] },
  { name: '$(( )) bare name', lines: ['echo $(( VALUE + 1 ))'] },
  { name: '$(( )) placeholder', lines: ['echo $(( <value> + 1 ))'] },
  { name: '(( ))', lines: ['(( VALUE > 5 )) && echo high'] },
  { name: 'for (( ))', lines: ['for (( i = 0; i < VALUE; i++ )); do :; done'] },
  { name: '$[ ]', lines: ['echo $[ VALUE + 1 ]'] },
  { name: 'let', lines: ['let "x = VALUE"'] },
  { name: 'subscript in ${a[…]}', lines: ['a=(1 2 3); echo "${a[<value>]}"'] },
  { name: 'subscript in assignment', lines: ['a[$VALUE]=1'] },
  { name: 'substring offset', lines: ['x=abcdef; echo "${x:$VALUE}"'] },
  { name: 'indirection ${!VALUE}', lines: ['echo "${!VALUE}"'] },
  { name: 'declare -i', lines: ['declare -i n=<value>'] },
  { name: 'printf -v', lines: ["printf -v <value> '%s' x"] },
  { name: '[[ -v ]]', lines: ['[[ -v $VALUE ]] && echo set'] },
  { name: 'copied, then arithmetic', lines: ['n="$VALUE"; (( n > 5 )) && echo high'] },
  { name: 'eval', lines: ['eval echo <value>'] },
  { name: 'sh -c', lines: ['sh -c "echo <value>"'] },
  { name: 'piped into bash', lines: ['echo "echo $VALUE" | bash'] },
];

/** Values built to run `touch marker` wherever bash would let them. */
const ATTACKS = [
  `a[$(${touch})]`,
  `x[$(${touch})]`,
  `$(${touch})`,
  `\`${touch}\``,
  `; ${touch}`,
  `\n${touch}\n`,
  `' ; ${touch} ; '`,
  `" ; ${touch} ; "`,
  `\${x:-$(${touch})}`,
  `1 ]] || ${touch} #`,
  `a[\`${touch}\`]`,
  `0) + $(${touch}) + (1`,
  `arr[$(${touch})+1]`,
  `'\`${touch}\`'`,
];
const NOISE = ['*', '?', '[a-z]', '{a,b}', '$((1+1))', '${PATH}', '\\', '"', "'", '$', '!', '&&', '|', '>', `>${marker}`, '~', '#', '\t', ' ', '0x1f', '-1', '08'];

/** Hostile strings: attack payloads inside random text, globs, quotes and operators; never NUL (no environment holds one). */
const hostile = fc
  .tuple(fc.array(fc.constantFrom(...NOISE), { maxLength: 3 }), fc.constantFrom(...ATTACKS), fc.array(fc.oneof(fc.constantFrom(...NOISE), fc.string({ maxLength: 6 })), { maxLength: 3 }))
  .map(([before, attack, after]) => [...before, attack, ...after].join('').replace(/\0/g, ''));
/** Sometimes a valid integer, so what passes validation is run too. */
const anyValue = fc.oneof({ weight: 4, arbitrary: hostile }, { weight: 1, arbitrary: fc.integer({ min: -1000, max: 1000 }).map(String) });

/**
 * The procedure's first command names `$VALUE`, so VALUE is a parameter of
 * the run (runs pass every parameter to every command), and the second is
 * the context under test: a bare `(( VALUE ))` gets the value too.
 */
function runbook(context: Context, declaration: string | null): { parsed: ParsedRunbook; command: Command } {
  const front = declaration === null ? '' : `---\nparameters:\n  - name: VALUE\n${declaration}---\n\n`;
  const fence = ['```bash', 'printf "given: %s\\n" "$VALUE"', ...context.lines, '```'].map((line) => `   ${line}`).join('\n');
  const markdown = `${front}# Contexts\n\n## Procedures\n\n### Check\n\n#### Steps\n\n1. **Run it**\n${fence}\n`;
  const parsed = parseRunbook(markdown);
  const procedure = parsed.procedures[0]!;
  const commands = commandsOf(procedure);
  expect(commands).toHaveLength(2);
  return { parsed, command: commands[1]!.command };
}

const BASE_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8' };

/** As the local runner does it: rewritten placeholders, `bash -o pipefail -c`, the value only in the environment. */
async function runAsRunner(command: Command, value: string): Promise<void> {
  const script = rewritePlaceholders(command.text, command.placeholders);
  const execution = execute(
    { script, env: { ...BASE_ENV, VALUE: value }, assigns: command.assigns, timeoutSeconds: 10, followStyle: false, expect: null, redact: [], cwd: dir },
    () => {},
  );
  const result = await execution.result;
  expect(result.outcome).toBe('exited');
}

/** What run creation says about a value: accepted, or the 4xx it answers. */
function creation(parsed: ParsedRunbook, value: string): 'accepted' | 400 | 422 {
  try {
    checkParameters(parsed.procedures[0]!, { VALUE: value }, [], parameterSpecs(parsed.frontMatter));
    return 'accepted';
  } catch (error) {
    if (error instanceof UnsafeCommandError) return 422;
    if (error instanceof InputError) return 400;
    throw error;
  }
}

async function evaluatedFindings(parsed: ParsedRunbook) {
  return (await lintReport(parsed)).findings.filter((f) => f.rule === 'param-evaluated-as-code');
}

const NUM_RUNS = 100;

describe('hostile parameter values in every bash context', () => {
  it.each(DATA_CONTEXTS.map((c) => [c.name, c] as const))('%s: text values are accepted and run as data', async (_name, context) => {
    const { parsed, command } = runbook(context, null);
    expect(await evaluatedFindings(parsed)).toEqual([]);
    await fc.assert(
      fc.asyncProperty(anyValue, async (value) => {
        expect(creation(parsed, value)).toBe('accepted');
        await runAsRunner(command, value);
        expect(fs.existsSync(marker)).toBe(false);
      }),
      { numRuns: context.runs ?? NUM_RUNS },
    );
  });

  it.each(CODE_CONTEXTS.map((c) => [c.name, c] as const))('%s: a text parameter is a lint error and the run is refused (422)', async (_name, context) => {
    for (const declaration of [null, '    type: text\n', "    pattern: '[a-z0-9\\[\\]$()]+'\n", '    values: [a, "a[$(id)]"]\n']) {
      const { parsed } = runbook(context, declaration);
      const findings = await evaluatedFindings(parsed);
      expect(findings.length, `${context.name} with ${declaration ?? 'no declaration'}`).toBeGreaterThan(0);
      expect(findings[0]).toMatchObject({ severity: 'error', message: expect.stringContaining('parameter VALUE') });
      fc.assert(fc.property(anyValue, (value) => creation(parsed, value) === 422), { numRuns: 20 });
    }
  });

  it.each(CODE_CONTEXTS.map((c) => [c.name, c] as const))('%s: typed integer, hostile values are refused (400) and accepted integers run harmlessly', async (_name, context) => {
    for (const declaration of ['    type: integer\n', "    values: [1, 5, '-3']\n"]) {
      const { parsed, command } = runbook(context, declaration);
      expect(await evaluatedFindings(parsed)).toEqual([]);
      await fc.assert(
        fc.asyncProperty(anyValue, async (value) => {
          const verdict = creation(parsed, value);
          const valid = declaration.includes('integer') ? /^-?[0-9]{1,18}$/.test(value) : ['1', '5', '-3'].includes(value);
          expect(verdict).toBe(valid ? 'accepted' : 400);
          if (verdict === 'accepted') await runAsRunner(command, value);
          expect(fs.existsSync(marker)).toBe(false);
        }),
        { numRuns: declaration.includes('integer') ? NUM_RUNS : 30 },
      );
    }
  });

  it('the code contexts are real: ungated, each one runs the attack (so the refusals above matter)', async () => {
    for (const context of CODE_CONTEXTS) {
      const { command } = runbook(context, null);
      fs.rmSync(marker, { force: true });
      const script = rewritePlaceholders(command.text, command.placeholders);
      // The attack through the real runner path, with the gate skipped on purpose.
      const value = ['eval', 'sh -c', 'piped into bash'].includes(context.name) ? `$(${touch})` : `a[$(${touch})]`;
      await execute({ script, env: { ...BASE_ENV, VALUE: value }, assigns: [], timeoutSeconds: 10, followStyle: false, expect: null, redact: [], cwd: dir }, () => {}).result;
      expect(fs.existsSync(marker), `${context.name} should run the payload when not gated`).toBe(true);
      fs.rmSync(marker, { force: true });
    }
  });
});

describe('the issue\'s attack: [[ <count> -gt 5 ]] && echo high with COUNT=a[$(id > /tmp/x)]', () => {
  const attack = `a[$(id > ${marker})]`;
  const lines = ['[[ <count> -gt 5 ]] && echo high'];

  it('as free text: lint error, and creating the run is refused with 422 naming the parameter and the place', async () => {
    const { parsed } = runbook({ name: 'issue', lines }, null);
    const findings = (await lintReport(parsed)).findings.filter((f) => f.rule === 'param-evaluated-as-code');
    expect(findings).toEqual([expect.objectContaining({ severity: 'error', line: expect.any(Number) })]);
    expect(findings[0]!.message).toContain('parameter COUNT (text) is used in [[ … -gt … ]]');
    let error: unknown;
    try {
      checkParameters(parsed.procedures[0]!, { COUNT: attack }, [], parameterSpecs(parsed.frontMatter));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnsafeCommandError);
    expect((error as AppError).statusCode).toBe(422);
    expect((error as AppError).message).toMatch(/COUNT \(text\) is used in \[\[ … -gt … \]\]/);
  });

  it('typed integer: the value is refused at validation with 400 naming the parameter and the rule', () => {
    const markdown = `---\nparameters:\n  - name: count\n    type: integer\n---\n\n# C\n\n## P\n\n### Check\n\n#### Steps\n\n1. **Run it**\n   \`\`\`bash\n   ${lines[0]}\n   \`\`\`\n`;
    const parsed = parseRunbook(markdown);
    expect(() => checkParameters(parsed.procedures[0]!, { COUNT: attack }, [], parameterSpecs(parsed.frontMatter))).toThrow(
      /invalid value: COUNT must be an integer \(-\?\[0-9\]\{1,18\}\)/,
    );
    expect(() => checkParameters(parsed.procedures[0]!, { COUNT: '7' }, [], parameterSpecs(parsed.frontMatter))).not.toThrow();
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe('declared parameter types', () => {
  it('reads types from the front matter and refuses malformed declarations at parse time', () => {
    const specs = parameterSpecs({
      parameters: [{ name: 'replicas', type: 'integer' }, { name: 'ENVIRONMENT', values: ['staging', 'production'] }, { name: 'pod', pattern: '[a-z0-9-]+' }, 'reason'],
    });
    expect(Object.fromEntries(specs)).toEqual({
      REPLICAS: { name: 'REPLICAS', type: 'integer' },
      ENVIRONMENT: { name: 'ENVIRONMENT', type: 'enum', values: ['staging', 'production'] },
      POD: { name: 'POD', type: 'pattern', pattern: '[a-z0-9-]+' },
      REASON: { name: 'REASON', type: 'text' },
    });
    expect(() => parseRunbook('---\nparameters:\n  - name: N\n    type: number\n---\n# T\n')).toThrow(/line 2: front matter: parameter N: type "number" must be one of text, integer, enum, pattern/);
    expect(() => parseRunbook('---\nparameters:\n  - name: N\n    pattern: "([a-z"\n---\n# T\n')).toThrow(/parameter N: pattern is not a valid regular expression/);
    expect(() => parseRunbook('---\nparameters:\n  - name: N\n    type: enum\n---\n# T\n')).toThrow(/parameter N: type enum needs values/);
    // An author's pattern that backtracks for ever would freeze the server on a responder's value (ReDoS).
    expect(() => parseRunbook('---\nparameters:\n  - name: N\n    pattern: "(a+)+$"\n---\n# T\n')).toThrow(/parameter N: pattern may take exponential time/);
  });

  it('anchors patterns and checks enums, naming each bad parameter with its rule', () => {
    const parsed = parseRunbook('# T\n\n## P\n\n### Check\n\n#### Steps\n\n1. **Run it**\n   ```bash\n   echo <pod> <environment> "$REPLICAS"\n   ```\n');
    const specs = parameterSpecs({ parameters: [{ name: 'REPLICAS', type: 'integer' }, { name: 'ENVIRONMENT', values: ['staging', 'production'] }, { name: 'pod', pattern: '[a-z0-9-]+' }] });
    const check = (values: Record<string, string>) => checkParameters(parsed.procedures[0]!, values, [], specs);
    expect(() => check({ POD: 'web-1', ENVIRONMENT: 'staging', REPLICAS: '3' })).not.toThrow();
    let error: InputError | undefined;
    try {
      check({ POD: 'web-1; reboot', ENVIRONMENT: 'prod', REPLICAS: '3.5' });
    } catch (caught) {
      error = caught as InputError;
    }
    expect(error?.statusCode).toBe(400);
    expect(error?.message).toContain('invalid value: POD must match the pattern [a-z0-9-]+');
    expect(error?.message).toContain('invalid value: ENVIRONMENT must be one of: staging, production');
    expect(error?.message).toContain('invalid value: REPLICAS must be an integer');
    expect(() => check({ POD: 'x'.repeat(5) + '\n', ENVIRONMENT: 'staging', REPLICAS: '12345678901234567890' })).toThrow(/POD must match.*REPLICAS must be an integer/s);
  });
});

describe('reading commands nobody would write', () => {
  it('a command nested too deeply for the shell reader counts every name in it as evaluated, instead of failing', () => {
    const text = `${'$('.repeat(100_000)}echo "$VALUE"`;
    expect(codeContexts(text)).toEqual([{ context: 'a command nested too deeply to read', names: expect.any(Set) }]);
    expect([...codeContexts(text)[0]!.names]).toContain('VALUE');
  });
});

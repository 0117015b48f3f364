// Checks the import edges between the folders of src/ (docs/architecture.md, CONVENTIONS.md habit 9).
// A local rule rather than no-restricted-imports patterns: those match the import string only, so they
// can neither see dynamic import() nor tell a type-only import (erased, free for the CLI) from a value one.
import path from 'node:path';

/** The importer's or target's path inside src/, with forward slashes; null when outside src/. */
function insideSrc(srcRoot, file) {
  const relative = path.relative(srcRoot, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return relative.split(path.sep).join('/');
}

/** The top folder of a src/ path (`alerts`, `platform`, `cli`), or `root` for src/app.ts, server.ts, main.ts. */
function areaOf(srcPath) {
  const slash = srcPath.indexOf('/');
  return slash === -1 ? 'root' : srcPath.slice(0, slash);
}

function isTypeOnly(node) {
  if (node.type === 'ImportExpression') return false;
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = node.specifiers ?? [];
  return specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: "Another domain only through its index.ts; platform imports no domain; the CLI only what the API's clients may share" },
    schema: [
      {
        type: 'object',
        properties: {
          domains: { type: 'array', items: { type: 'string' } },
          shared: { type: 'string' },
          cli: {
            type: 'object',
            properties: {
              folder: { type: 'string' },
              values: { type: 'array', items: { type: 'string' } },
              entries: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
            },
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      internals: "'{{source}}' reaches inside the {{target}} domain: import '{{face}}' (add to its index.ts what you need).",
      platformImportsDomain: "platform/ must not import '{{source}}': platform serves every domain and depends on none.",
      upward: "A domain must not import '{{source}}' (the app or the CLI): pass what you need in through the register function.",
      cliValue: "The CLI imports only types from '{{source}}' (loading a domain loads the server); import a pure module it re-exports instead.",
      cliInternals: "The CLI talks to the API: '{{source}}' is not among the modules it may load (eslint.config.js, cli.values).",
    },
  },
  create(context) {
    const options = context.options[0] ?? {};
    const domains = new Set(options.domains ?? []);
    const shared = options.shared ?? 'platform';
    const cli = options.cli ?? { folder: 'cli', values: [], entries: {} };
    const srcRoot = path.join(context.cwd, 'src');
    const importer = insideSrc(srcRoot, context.filename);
    if (!importer) return {};
    const from = areaOf(importer);
    const cliValues = new Set(cli.values ?? []);
    const entryExtras = new Set((cli.entries ?? {})[importer] ?? []);

    function check(node) {
      const source = node.source;
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(importer), source.value));
      if (target.startsWith('..')) return; // test/support and the like: not a folder of src/
      const to = areaOf(target);
      if (to === from) return;
      const face = `${to}/index.js`;
      const report = (messageId) =>
        context.report({ node: source, messageId, data: { source: source.value, target: to, face: path.posix.relative(path.posix.dirname(importer), face) } });

      if (from === shared) return report('platformImportsDomain');
      if (domains.has(from)) {
        if (to === shared) return;
        if (!domains.has(to)) return report('upward');
        // A foreign key names the other domain's table; drizzle-kit reads every tables.ts on its own.
        if (target === face || (importer.endsWith('/tables.ts') && target === `${to}/tables.js`)) return;
        return report('internals');
      }
      if (from === cli.folder) {
        if (cliValues.has(target) || entryExtras.has(target)) return;
        if (isTypeOnly(node) && (target === face || to === shared)) return;
        if (target === face) return report('cliValue');
        return report('cliInternals');
      }
      // src/app.ts, server.ts, main.ts compose the domains through their faces.
      if (from === 'root' && (domains.has(to) || to === cli.folder) && target !== face) return report('internals');
    }

    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

import { Anchor, Badge, Button, Group, Typography } from '@mantine/core';
import type { Element, ElementContent } from 'hast';
import { createContext, memo, useContext, useMemo, type ComponentProps, type ReactNode } from 'react';
import Markdown, { type Components, type ExtraProps } from 'react-markdown';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import { FindingList } from './FindingList.js';
import { findingsWithin, segmentCode, worstSeverity, type PlacedFindings } from './lint-placement.js';
import { BLOCK_END, BLOCK_START, remarkRunbookAnchors } from './markdown-anchors.js';
import type { CommandRef, Procedure, RunbookIndex, Step } from './model.js';
import classes from './runbook.module.css';

/** What a Run button asks for: a whole procedure, one step (all its commands) or one command. */
export type RunTarget =
  | { kind: 'procedure'; procedure: Procedure }
  | { kind: 'step'; procedure: Procedure; step: Step }
  | { kind: 'command'; procedure: Procedure; step: Step; command: CommandRef['command'] };

interface RenderContext {
  sourceLines: string[];
  index: RunbookIndex;
  findings: PlacedFindings;
  /** Null when the viewer may not start runs: no buttons then. */
  onRun: ((target: RunTarget) => void) | null;
}

const Context = createContext<RenderContext | null>(null);

function useRender(): RenderContext {
  const value = useContext(Context);
  if (!value) throw new Error('runbook Markdown components need their context');
  return value;
}

function textOf(node: Element | ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

/** A fence opens on its own line (possibly after list or quote markers); an indented block starts with its content. */
const FENCE = /^\s*(?:(?:[>*+-]|\d+[.)])\s*)*(`{3,}|~{3,})/;

const firstLineOf = (text: string) => {
  const line = text.split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
};

function CommandRow({ commandRef, text }: { commandRef: CommandRef; text: string }) {
  const { findings, onRun } = useRender();
  const { command } = commandRef;
  const own = findings.byCommand.get(command.id) ?? [];
  const { risk, approval, timeoutSeconds, runner } = command.annotations;
  return (
    <div id={`cmd-${command.id}`} className={classes.command} data-testid="runbook-command" data-command-id={command.id} data-severity={worstSeverity(own) ?? undefined}>
      <div className={classes.commandHead}>
        <pre className={classes.code}>
          <code>{text}</code>
        </pre>
        {onRun && (
          <Button
            size="compact-sm"
            variant="light"
            onClick={() => onRun({ kind: 'command', ...commandRef })}
            aria-label={`Run command ${firstLineOf(command.text)}`}
            data-testid="run-command"
          >
            Run
          </Button>
        )}
      </div>
      {(risk || approval || timeoutSeconds || runner) && (
        <Group gap={4} mt={4}>
          {risk && (
            <Badge size="sm" variant="light" color={risk === 'destructive' ? 'red' : risk === 'change' ? 'orange' : 'gray'}>
              {risk}
            </Badge>
          )}
          {approval && (
            <Badge size="sm" variant="light" color="red">
              needs approval
            </Badge>
          )}
          {timeoutSeconds !== undefined && (
            <Badge size="sm" variant="light" color="gray">
              timeout {timeoutSeconds} s
            </Badge>
          )}
          {runner && (
            <Badge size="sm" variant="light" color="gray" tt="none">
              runner {runner}
            </Badge>
          )}
        </Group>
      )}
      {own.length > 0 && (
        <div className={classes.findings}>
          <FindingList findings={own} label={`Lint findings for ${firstLineOf(command.text)}`} />
        </div>
      )}
    </div>
  );
}

/** A fenced block: its commands as rows (run button, findings), the other lines as they are. */
function Pre({ node, children, ...props }: ComponentProps<'pre'> & ExtraProps) {
  const { sourceLines, index } = useRender();
  const start = node?.position?.start.line;
  const code = node?.children.find((child): child is Element => child.type === 'element' && child.tagName === 'code');
  if (start === undefined || !code) return <pre {...props}>{children}</pre>;
  const firstLine = FENCE.test(sourceLines[start - 1] ?? '') ? start + 1 : start;
  const text = textOf(code).replace(/\n$/, '');
  const segments = segmentCode(text, firstLine, index.commands.map((ref) => ref.command));
  if (!segments.some((segment) => segment.kind === 'command')) {
    return (
      <BlockFindings {...props}>
        <pre className={classes.code}>
          <code>{text}</code>
        </pre>
      </BlockFindings>
    );
  }
  return (
    <BlockFindings {...props}>
      <div className={classes.codeGroup}>
        {segments.map((segment) =>
          segment.kind === 'command' ? (
            <CommandRow key={segment.line} commandRef={index.commandById.get(segment.command.id)!} text={segment.text} />
          ) : (
            <pre key={segment.line} className={classes.code}>
              <code>{segment.text}</code>
            </pre>
          ),
        )}
      </div>
    </BlockFindings>
  );
}

type BlockProps = { children: ReactNode; [BLOCK_START]?: unknown; [BLOCK_END]?: unknown };

/**
 * After a top-level block, the findings on its lines that belong to no
 * command (a parse error, say). Nested blocks carry no line marks and
 * render as they are.
 */
function BlockFindings({ children, ...props }: BlockProps) {
  const { findings } = useRender();
  const start = Number(props[BLOCK_START]);
  const end = Number(props[BLOCK_END]);
  const here = Number.isFinite(start) && Number.isFinite(end) ? findingsWithin(findings.other, start, end) : [];
  if (here.length === 0) return children;
  return (
    <>
      {children}
      <div className={classes.blockFindings} id={`L${here[0]!.line}`} data-testid="block-findings">
        <FindingList findings={here} label={`Lint findings for lines ${start} to ${end}`} />
      </div>
    </>
  );
}

/** Splits the line marks off a block's props, so they reach BlockFindings and not the DOM. */
function splitMarks<P extends object>(props: P): { marks: Pick<BlockProps, typeof BLOCK_START | typeof BLOCK_END>; rest: Omit<P, typeof BLOCK_START | typeof BLOCK_END> } {
  const { [BLOCK_START]: start, [BLOCK_END]: end, ...rest } = props as P & BlockProps;
  return { marks: { [BLOCK_START]: start, [BLOCK_END]: end }, rest: rest as Omit<P, typeof BLOCK_START | typeof BLOCK_END> };
}

function block<T extends 'p' | 'ul' | 'ol' | 'blockquote' | 'hr'>(Tag: T) {
  return function Block({ node: _node, ...props }: ComponentProps<T> & ExtraProps) {
    const { marks, rest } = splitMarks(props);
    const Element = Tag as 'div';
    return <BlockFindings {...marks}>{<Element {...(rest as ComponentProps<'div'>)} />}</BlockFindings>;
  };
}

function RunButton({ label, onClick, testId }: { label: string; onClick: () => void; testId: string }) {
  return (
    <Button size="compact-sm" variant="light" onClick={onClick} aria-label={label} data-testid={testId}>
      {testId === 'run-procedure' ? 'Run procedure' : 'Run step'}
    </Button>
  );
}

/** Runbook headings sit under the page's h1 and the panel's h2: `#` becomes h3, and so on down to h6. */
function heading(level: 1 | 2 | 3 | 4 | 5 | 6) {
  const Tag = `h${Math.min(6, level + 2)}` as 'h3';
  return function Heading({ node, children, ...props }: ComponentProps<'h1'> & ExtraProps) {
    const { index, onRun } = useRender();
    const { marks, rest } = splitMarks(props);
    const line = node?.position?.start.line ?? -1;
    const procedure = index.procedureAtLine.get(line);
    const step = index.stepAtLine.get(line);
    const title = textOf(node ?? { type: 'text', value: '' });
    let action: ReactNode = null;
    if (onRun && procedure) {
      action = <RunButton label={`Run procedure ${title}`} testId="run-procedure" onClick={() => onRun({ kind: 'procedure', procedure })} />;
    } else if (onRun && step) {
      action = <RunButton label={`Run step ${title}`} testId="run-step-button" onClick={() => onRun({ kind: 'step', ...step })} />;
    }
    return (
      <BlockFindings {...marks}>
        {action ? (
          <div className={classes.heading} id={procedure ? `proc-${procedure.id}` : undefined}>
            <Tag {...rest}>{children}</Tag>
            {action}
          </div>
        ) : (
          <Tag {...rest} className={classes.heading}>
            {children}
          </Tag>
        )}
      </BlockFindings>
    );
  };
}

/** A numbered step ("1. **Check Logs**") with commands gets a button that runs all of them. */
function ListItem({ node, children, ...props }: ComponentProps<'li'> & ExtraProps) {
  const { index, onRun } = useRender();
  const step = index.stepAtLine.get(node?.position?.start.line ?? -1);
  return (
    <li {...props}>
      {onRun && step && step.step.commands.length > 0 && (
        <span className={classes.stepButton}>
          <RunButton label={`Run step ${step.step.title}`} testId="run-step-button" onClick={() => onRun({ kind: 'step', ...step })} />
        </span>
      )}
      {children}
    </li>
  );
}

function Link({ node: _node, href, children, ...props }: ComponentProps<'a'> & ExtraProps) {
  const external = href !== undefined && /^https?:/i.test(href);
  return (
    <Anchor href={href} underline="always" {...(external ? { target: '_blank', rel: 'noreferrer noopener' } : {})} {...props}>
      {children}
    </Anchor>
  );
}

/**
 * A task-list box (`- [ ] Verify …`) is a manual check that runs tick, not
 * this page: shown as a glyph, so there is no unlabelled, dead checkbox.
 */
function TaskBox({ node: _node, type, checked, ...props }: ComponentProps<'input'> & ExtraProps) {
  if (type !== 'checkbox') return <input type={type} checked={checked} {...props} />;
  return (
    <span aria-hidden="true" style={{ marginRight: '0.375rem' }}>
      {checked ? '☑' : '☐'}
    </span>
  );
}

function TableBlock({ node: _node, ...props }: ComponentProps<'table'> & ExtraProps) {
  const { marks, rest } = splitMarks(props);
  return (
    <BlockFindings {...marks}>
      <div className={classes.tableScroll} role="region" aria-label="Table from the runbook" tabIndex={0}>
        <table {...rest} />
      </div>
    </BlockFindings>
  );
}

const COMPONENTS: Components = {
  h1: heading(1),
  h2: heading(2),
  h3: heading(3),
  h4: heading(4),
  h5: heading(5),
  h6: heading(6),
  p: block('p'),
  ul: block('ul'),
  ol: block('ol'),
  blockquote: block('blockquote'),
  hr: block('hr'),
  pre: Pre,
  li: ListItem,
  a: Link,
  table: TableBlock,
  input: TaskBox,
};

const REMARK_PLUGINS = [remarkFrontmatter, remarkGfm, remarkRunbookAnchors];

/**
 * The runbook's Markdown as people wrote it, with what NEXUS understood put
 * on it: a Run button on each procedure, step and command, and each lint
 * finding under the command (or block) it concerns. Raw HTML in the source
 * (`<!-- nexus: … -->` annotations) is not rendered.
 */
export const RunbookMarkdown = memo(function RunbookMarkdown({
  source,
  index,
  findings,
  onRun,
}: {
  source: string;
  index: RunbookIndex;
  findings: PlacedFindings;
  onRun: RenderContext['onRun'];
}) {
  const context = useMemo(() => ({ sourceLines: source.split('\n'), index, findings, onRun }), [source, index, findings, onRun]);
  return (
    <Context.Provider value={context}>
      <Typography className={classes.markdown} data-testid="runbook-markdown">
        <Markdown remarkPlugins={REMARK_PLUGINS} components={COMPONENTS} skipHtml>
          {source}
        </Markdown>
      </Typography>
    </Context.Provider>
  );
});


import type { Code, Heading, List, ListItem, Paragraph } from 'mdast';
import { parseDocument } from 'yaml';
import type { Command, CommandAnnotations, Group, ManualCheck, ParsedRunbook, Phase, Procedure, Prose, Step } from '../model.js';
import { parameterSpecs } from '../parameters.js';
import { annotationComment, parseAnnotations } from './annotations.js';
import { isShellFence, splitCommands } from './commands.js';
import { RunbookParseError } from './errors.js';
import { boldTitle, contains, isTaskItem, itemNumber, lineOf, markdownOf, plain, type Block } from './markdown.js';
import { applyField, contactKind, contactValue, fieldOf, fieldsOf, isContactsTitle, priorityOf, type Field } from './metadata.js';
import { IdRegistry, slugify } from './slug.js';

/** Longer first paragraphs of a plain numbered item are cut for the title and kept whole as prose. */
const MAX_TITLE = 120;
const SYMPTOMS = /^(symptoms?|signs|signs and symptoms)$/i;
/** "Step 3: Drain the node", "Step 3 - …", "3. Drain the node", "3) …". */
const STEP_HEADING = /^(?:step\s*(\d+)\b\s*[:.)\-–—]?\s*|(\d+)\s*[.):\-–—]\s+)(.*)$/i;
const METADATA_KEYS = /^(severity|priority|response( time)?|resolution( time)?)$/i;

type Mode = { kind: 'normal' } | { kind: 'symptoms' | 'contacts'; depth: number };
type Container = { prose: Prose[] };

/**
 * Walks the top-level mdast blocks in order, keeping where it is (group,
 * procedure, phase, heading-style step) and filing each block there. The
 * mapping is DESIGN.md §4: `##` group, `###` procedure, `####` phase,
 * numbered items steps, shell fences commands, task items manual checks.
 * Other styles fall out of the same walk: steps with no `####` get an
 * implicit "Steps" phase, steps with no `###` a procedure named after their
 * group (or the runbook), and "Step N" headings are steps, not sections.
 */
export class RunbookBuilder {
  private readonly ids = new IdRegistry();
  private readonly runbook: ParsedRunbook = { title: null, frontMatter: {}, groups: [], procedures: [], contacts: [], lineCount: 0 };
  private hashTitle: { text: string; line: number } | null = null;
  private group: Group | null = null;
  private procedure: Procedure | null = null;
  private phase: Phase | null = null;
  /** Heading depth of the open phase (0 for an implicit one, which every step heading sits in). */
  private phaseDepth = 0;
  /** A heading-style step ("#### Step 2: …") that takes every block until the next heading. */
  private step: { step: Step; depth: number } | null = null;
  private mode: Mode = { kind: 'normal' };
  /** The step a fence written just below (but outside) a list or fence still belongs to. */
  private attachable: { step: Step; after: Block } | null = null;
  private lastProse: { node: Block; into: Prose[] } | null = null;

  constructor(private readonly source: string) {}

  build(blocks: Block[]): ParsedRunbook {
    blocks.forEach((block, i) => this.block(block, blocks[i - 1], blocks[i - 2]));
    const fmTitle = this.runbook.frontMatter.title;
    this.runbook.title = this.hashTitle?.text ?? (typeof fmTitle === 'string' ? fmTitle : null);
    this.runbook.lineCount = countLines(this.source);
    return this.runbook;
  }

  private block(node: Block, prev: Block | undefined, prevPrev: Block | undefined): void {
    switch (node.type) {
      case 'yaml':
        return this.frontMatter(node.value, lineOf(node));
      case 'heading':
        return this.heading(node);
      case 'paragraph':
        return this.paragraph(node);
      case 'list':
        return this.list(node);
      case 'code':
        return this.code(node, prev, isAnnotation(prev) ? prevPrev : prev);
      case 'html':
        if (annotationComment(node.value) === null) this.prose(node);
        return;
      case 'thematicBreak':
      case 'definition':
        return;
      default:
        this.prose(node);
    }
  }

  private frontMatter(value: string, line: number): void {
    const doc = parseDocument(value);
    const error = doc.errors[0];
    // The fence `---` is `line`; the YAML's own line 1 is the next one.
    if (error) throw new RunbookParseError(`front matter: ${error.message.split('\n')[0]}`, line + (error.linePos?.[0].line ?? 1));
    const data: unknown = JSON.parse(JSON.stringify(doc.toJS() ?? {}));
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new RunbookParseError('front matter must be a mapping (key: value lines)', line + 1);
    }
    this.runbook.frontMatter = data as Record<string, unknown>;
    try {
      // A malformed parameter type is refused at import, not discovered when a run is created.
      parameterSpecs(this.runbook.frontMatter);
    } catch (error) {
      throw new RunbookParseError(`front matter: ${(error as Error).message}`, line + 1);
    }
  }

  // ── headings ────────────────────────────────────────────────────────────

  private heading(node: Heading): void {
    const text = plain(node);
    const line = lineOf(node);
    if (this.mode.kind !== 'normal' && node.depth > this.mode.depth) return;
    if (this.step && node.depth > this.step.depth) return this.prose(node);
    this.mode = { kind: 'normal' };
    this.step = null;
    this.attachable = null;
    if (node.depth === 1 && this.hashTitle === null && this.group === null) {
      this.hashTitle = { text, line };
      return;
    }
    if (node.depth <= 2) return this.startGroup(text, line);
    if (isContactsTitle(text)) {
      this.mode = { kind: 'contacts', depth: node.depth };
      return;
    }
    if (SYMPTOMS.test(text)) {
      this.ensureProcedure();
      this.phase = null;
      this.mode = { kind: 'symptoms', depth: node.depth };
      return;
    }
    const stepHeading = STEP_HEADING.exec(text);
    // "### 2. Restore the database" is usually a numbered procedure; only "### Step 2" is a step at that level.
    if (stepHeading && (node.depth >= 4 || stepHeading[1] !== undefined)) {
      const number = Number(stepHeading[1] ?? stepHeading[2]);
      const title = stepHeading[3]?.trim() || `Step ${number}`;
      // "#### 1. Request" after "#### Before you start" is that section's sibling, not its child.
      if (this.phase && this.phaseDepth >= node.depth) this.phase = null;
      this.step = { step: this.createStep(this.ensurePhase(line), number, title, line), depth: node.depth };
      return;
    }
    if (node.depth === 3) return void this.createProcedure(text, line);
    if (node.depth === 4) {
      this.createPhase(text, line, false);
      this.phaseDepth = node.depth;
      return;
    }
    this.prose(node);
  }

  private startGroup(title: string, line: number): void {
    this.group = { title, line, prose: [], procedureIds: [] };
    this.runbook.groups.push(this.group);
    this.procedure = null;
    this.phase = null;
    if (isContactsTitle(title)) this.mode = { kind: 'contacts', depth: 2 };
  }

  private createProcedure(title: string, line: number): Procedure {
    const procedure: Procedure = {
      id: this.ids.take(slugify(title, 'procedure')),
      title,
      line,
      group: this.group?.title ?? null,
      metadata: { severity: null, priority: priorityOf(title, null), responseTime: null, resolutionTime: null, extra: {} },
      symptoms: [],
      phases: [],
      prose: [],
    };
    this.runbook.procedures.push(procedure);
    this.group?.procedureIds.push(procedure.id);
    this.procedure = procedure;
    this.phase = null;
    return procedure;
  }

  /** Steps with no `###` above them: the procedure is their `##` group (or the whole runbook). */
  private ensureProcedure(): Procedure {
    if (this.procedure) return this.procedure;
    const fmTitle = this.runbook.frontMatter.title;
    const title = this.group?.title ?? this.hashTitle?.text ?? (typeof fmTitle === 'string' ? fmTitle : 'Runbook');
    return this.createProcedure(title, this.group?.line ?? this.hashTitle?.line ?? 1);
  }

  private createPhase(title: string, line: number, implicit: boolean): Phase {
    const procedure = this.ensureProcedure();
    const phase: Phase = {
      id: this.ids.take(`${procedure.id}.${slugify(title, 'phase')}`),
      title,
      line,
      implicit,
      steps: [],
      checks: [],
      prose: [],
    };
    procedure.phases.push(phase);
    this.phase = phase;
    this.phaseDepth = 0;
    return phase;
  }

  private ensurePhase(line: number): Phase {
    return this.phase ?? this.createPhase('Steps', line, true);
  }

  private createStep(phase: Phase, number: number | null, title: string, line: number): Step {
    const position = phase.steps.length + 1;
    const byNumber = `${phase.id}.${number ?? position}`;
    // Two lists both numbered from 1 in one phase: fall back to the position.
    const id = this.ids.has(byNumber) ? this.ids.take(`${phase.id}.${position}`) : this.ids.take(byNumber);
    const step: Step = { id, number, title, line, commands: [], checks: [], prose: [] };
    phase.steps.push(step);
    return step;
  }

  // ── paragraphs, lists, fences ───────────────────────────────────────────

  private paragraph(node: Paragraph): void {
    if (this.mode.kind === 'contacts') {
      const fields = fieldsOf(node);
      if (fields) return fields.forEach((field) => this.addContact(field));
      return this.prose(node);
    }
    const fields = this.mode.kind === 'normal' && !this.step && !this.phase ? fieldsOf(node) : null;
    // Key/value lines make a procedure of a bare group only when they are the seed's SLA fields.
    if (fields && (this.procedure || fields.some((f) => METADATA_KEYS.test(f.key)))) {
      const procedure = this.ensureProcedure();
      for (const field of fields) applyField(procedure.metadata, field);
      procedure.metadata.priority = priorityOf(procedure.title, procedure.metadata.severity);
      return;
    }
    this.prose(node);
  }

  private list(node: List): void {
    this.attachable = null;
    if (this.mode.kind === 'contacts') return this.contactList(node);
    if (this.mode.kind === 'symptoms') {
      const procedure = this.ensureProcedure();
      for (const item of node.children) procedure.symptoms.push({ text: plain(item), line: lineOf(item) });
      return;
    }
    if (this.step) return this.absorb(this.step.step, node, undefined);
    if (this.isStepList(node)) {
      node.children.forEach((item, k) => {
        this.attachable = { step: this.stepFromItem(item, itemNumber(node, k)), after: node };
      });
      return;
    }
    if (!node.children.some(isTaskItem)) return this.prose(node);
    const phase = this.ensurePhase(lineOf(node));
    for (const item of node.children) {
      if (isTaskItem(item)) phase.checks.push(this.check(phase.id, phase.checks, item));
      else phase.prose.push({ markdown: markdownOf(this.source, item), line: lineOf(item) });
    }
  }

  /** Numbered items inside a procedure, or anywhere when they carry bold titles, commands or checks. */
  private isStepList(node: List): boolean {
    const hasCode = node.children.some((item) => contains(item, isShellCode));
    if (!node.ordered) return hasCode;
    return (
      this.procedure !== null ||
      hasCode ||
      node.children.some((item) => boldTitle(item) !== null || contains(item, isTaskItem))
    );
  }

  private stepFromItem(item: ListItem, number: number | null): Step {
    const line = lineOf(item);
    const phase = this.ensurePhase(line);
    const bold = boldTitle(item);
    const first = item.children[0];
    const rest = first?.type === 'paragraph' ? item.children.slice(1) : item.children;
    let title = '';
    const prose: Prose[] = [];
    if (bold) {
      title = bold.title;
      if (bold.rest) prose.push({ markdown: bold.rest, line });
    } else if (first?.type === 'paragraph') {
      title = plain(first).replace(/[:.]$/, '');
      if (title.length > MAX_TITLE) {
        prose.push({ markdown: markdownOf(this.source, first), line });
        title = `${title.slice(0, MAX_TITLE - 1).trimEnd()}…`;
      }
    }
    const step = this.createStep(phase, number, title, line);
    step.prose.push(...prose);
    if (isTaskItem(item)) step.checks.push(this.check(step.id, step.checks, item));
    rest.forEach((child, i) => this.absorb(step, child, rest[i - 1]));
    if (step.title === '') step.title = step.commands[0]?.description ?? `Step ${number ?? phase.steps.length}`;
    return step;
  }

  /** Files a block that sits inside a step: fences become commands, task items checks, the rest prose. */
  private absorb(step: Step, node: Block, prev: Block | undefined): void {
    if (node.type === 'code' && isShellCode(node)) {
      step.commands.push(...this.commands(step, node, prev));
    } else if (node.type === 'list' && contains(node, (n) => isTaskItem(n) || isShellCode(n))) {
      for (const item of node.children) {
        const children = isTaskItem(item) ? item.children.slice(1) : item.children;
        if (isTaskItem(item)) step.checks.push(this.check(step.id, step.checks, item));
        children.forEach((child, i) => this.absorb(step, child, children[i - 1]));
      }
    } else if (!isAnnotation(node)) {
      step.prose.push({ markdown: markdownOf(this.source, node), line: lineOf(node) });
    }
  }

  private code(node: Code, prev: Block | undefined, before: Block | undefined): void {
    if (this.mode.kind !== 'normal' || !isShellCode(node)) return this.prose(node);
    if (this.step) return this.absorb(this.step.step, node, prev);
    if (this.attachable && before === this.attachable.after) {
      // A fence left unindented under a numbered item still belongs to that item.
      this.absorb(this.attachable.step, node, prev);
      this.attachable.after = node;
      return;
    }
    const line = lineOf(node);
    const phase = this.ensurePhase(line);
    let title = '';
    if (before?.type === 'paragraph' && this.lastProse?.node === before) {
      // "Check the logs:" right above a fence is that fence's step title.
      this.lastProse.into.pop();
      title = plain(before).replace(/:$/, '');
    }
    const step = this.createStep(phase, null, title, line);
    this.absorb(step, node, prev);
    if (step.title === '') step.title = step.commands[0]?.description ?? (phase.implicit ? 'Run commands' : phase.title);
    this.attachable = { step, after: node };
  }

  private commands(step: Step, node: Code, prev: Block | undefined): Command[] {
    const line = lineOf(node);
    const fenced = this.source.startsWith('```', node.position?.start.offset) || this.source.startsWith('~~~', node.position?.start.offset);
    const fromComment = isAnnotation(prev) ? parseAnnotations(annotationComment(prev.value)!, lineOf(prev), true) : {};
    const fromMeta: CommandAnnotations = node.meta ? parseAnnotations(node.meta, line, false) : {};
    return splitCommands(node.value, fenced ? line + 1 : line).map((raw, k) => ({
      id: this.ids.take(`${step.id}.c${step.commands.length + k + 1}`),
      text: raw.text,
      line: raw.line,
      endLine: raw.endLine,
      language: node.lang ?? 'sh',
      description: raw.description,
      placeholders: raw.placeholders,
      assigns: raw.assigns,
      annotations: { ...fromComment, ...fromMeta, ...raw.annotations },
    }));
  }

  private check(ownerId: string, into: ManualCheck[], item: ListItem): ManualCheck {
    const first = item.children[0];
    return {
      id: this.ids.take(`${ownerId}.check${into.length + 1}`),
      text: first ? plain(first) : '',
      line: lineOf(item),
      checked: item.checked === true,
    };
  }

  private contactList(node: List): void {
    for (const item of node.children) {
      const first = item.children[0];
      const field = first?.type === 'paragraph' ? fieldOf(first.children, lineOf(item)) : null;
      if (field && field.value !== '') this.addContact(field);
      else this.prose(item);
    }
  }

  private addContact(field: Field): void {
    const value = contactValue(field);
    this.runbook.contacts.push({ role: field.key, value, kind: contactKind(value), line: field.line });
  }

  /** Anything else is prose of the innermost open section; text above the first `##` has no home. */
  private prose(node: Block | ListItem): void {
    const container: Container | null = this.step?.step ?? this.phase ?? this.procedure ?? this.group;
    if (!container) return;
    container.prose.push({ markdown: markdownOf(this.source, node), line: lineOf(node) });
    this.lastProse = { node: node as Block, into: container.prose };
  }
}

function isShellCode(node: { type: string }): node is Code {
  return node.type === 'code' && isShellFence((node as Code).lang, (node as Code).value);
}

function isAnnotation(node: Block | undefined): node is Block & { type: 'html'; value: string } {
  return node?.type === 'html' && annotationComment(node.value) !== null;
}

function countLines(source: string): number {
  if (source === '') return 0;
  let lines = 1;
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lines++;
  return source.endsWith('\n') ? lines - 1 : lines;
}

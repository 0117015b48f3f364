import { Button, Group, Modal, Stack } from '@mantine/core';
import { Fragment, useState, type ReactNode } from 'react';
import { ErrorNotice } from '../shell/ErrorNotice.js';

/**
 * The one way the console lists things people create, change and delete
 * (users, tokens, contacts, channels, rotations, policies, routing rules,
 * silences): a panel with its add button, loading, error and empty states
 * and "Load more"; a modal with the create or edit form; the form's error
 * and Cancel / submit buttons; Edit and Delete on each item. The queries
 * and mutations themselves live in each domain's `queries.ts`. The panel
 * is ListPanel.tsx, on its own: read-only lists (the dashboard's, the
 * delivery and audit logs) use it without loading the modals.
 */

/** Which item the edit modal shows: a new one, an existing one, or none (closed). */
export type Editing<T> = T | 'new' | null;

export function useEditing<T>() {
  const [editing, setEditing] = useState<Editing<T>>(null);
  return { editing, create: () => setEditing('new'), edit: (item: T) => setEditing(item), close: () => setEditing(null) };
}

/** The create or edit form in a modal; the form is rebuilt for every item, so each opening starts clean. */
export function EditModal<T extends { id: string }>({
  editing,
  onClose,
  title,
  size,
  children,
}: {
  editing: Editing<T>;
  onClose: () => void;
  title: (item: T | null) => string;
  size?: string;
  children: (item: T | null) => ReactNode;
}) {
  const item = editing === 'new' ? null : editing;
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={editing !== null} onClose={onClose} title={editing === null ? '' : title(item)} size={size}>
      {editing !== null && <Fragment key={item?.id ?? 'new'}>{children(item)}</Fragment>}
    </Modal>
  );
}

/** A create or edit form: its fields, the server's refusal in words, Cancel and the submit button (enabled when `ready`). */
export function CrudForm({
  ready,
  onSubmit,
  onCancel,
  submitLabel,
  action,
  errorTitle,
  children,
}: {
  ready: boolean;
  onSubmit: () => void;
  onCancel: () => void;
  submitLabel: ReactNode;
  /** The save mutation: its pending state and its refusal. */
  action: { isPending: boolean; error: unknown };
  errorTitle: string;
  children: ReactNode;
}) {
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (ready) onSubmit();
      }}
    >
      <Stack gap="sm">
        {children}
        {action.error ? <ErrorNotice error={action.error} title={errorTitle} /> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={action.isPending} disabled={!ready}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Edit and Delete on one item, named for screen readers ("Edit rule Checkout down"); either may be left out. */
export function RowActions({ name, onEdit, onDelete, children }: { name: string; onEdit?: (() => void) | null; onDelete?: (() => void) | null; children?: ReactNode }) {
  return (
    <Group gap={4} wrap="nowrap">
      {onEdit && (
        <Button size="compact-sm" variant="default" onClick={onEdit} aria-label={`Edit ${name}`}>
          Edit
        </Button>
      )}
      {children}
      {onDelete && (
        <Button size="compact-sm" variant="subtle" color="red" onClick={onDelete} aria-label={`Delete ${name}`}>
          Delete
        </Button>
      )}
    </Group>
  );
}

/** A mutation on one item that asks first (ConfirmModal); the dialog stays open, with the refusal, until it succeeds. */
export function useConfirmed<T>(action: { mutate: (item: T, options: { onSuccess: () => void }) => void; reset: () => void; isPending: boolean; error: unknown }) {
  const [target, setTarget] = useState<T | null>(null);
  return {
    target,
    ask: (item: T) => {
      action.reset();
      setTarget(item);
    },
    /** The props ConfirmModal takes from this state. */
    modal: {
      opened: target !== null,
      onClose: () => setTarget(null),
      onConfirm: () => {
        if (target !== null) action.mutate(target, { onSuccess: () => setTarget(null) });
      },
      pending: action.isPending,
      error: action.error,
    },
  };
}

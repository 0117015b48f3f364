import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorNotice } from '../shell/ErrorNotice.js';

/**
 * The one way a destructive action is confirmed: what will happen, who has
 * to approve it (often: nobody else, and it says so), and the API's answer
 * in words if it refuses. The dialog stays open until the action succeeds.
 */
export function ConfirmModal({
  opened,
  onClose,
  title,
  children,
  approval,
  confirmLabel,
  onConfirm,
  pending,
  error,
  color = 'red',
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  /** Who must approve: "No one else: it takes effect at once." or the approver role. */
  approval: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  pending: boolean;
  error: unknown;
  color?: string;
}) {
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title={title} centered>
      <Stack gap="sm">
        <div>{children}</div>
        <Text size="sm">
          <strong>Approval:</strong> {approval}
        </Text>
        {error ? <ErrorNotice error={error} title="The server refused" /> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button color={color} onClick={onConfirm} loading={pending} data-autofocus>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

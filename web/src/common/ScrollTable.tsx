import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways inside its panel on a narrow screen, so the
 * page itself never does. The scrolling box takes keyboard focus (it may
 * hold nothing focusable) and is named after the table for screen readers.
 */
export function ScrollTable({ label, minWidth = 640, children, testId }: { label: string; minWidth?: number; children: ReactNode; testId?: string }) {
  return (
    <div role="region" aria-label={`${label} (table)`} tabIndex={0} style={{ overflowX: 'auto', maxWidth: '100%' }} data-testid={testId}>
      <Table striped highlightOnHover verticalSpacing="xs" style={{ minWidth }}>
        {children}
      </Table>
    </div>
  );
}

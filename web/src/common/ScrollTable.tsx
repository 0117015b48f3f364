import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways inside its panel on a narrow screen, so the
 * page itself never does. The scrolling box takes keyboard focus (it may
 * hold nothing focusable) and is named after the table for screen readers.
 * `columns` are the header cells (a `false` one is left out, for columns
 * some callers do not see); the children are the body's rows.
 */
export function ScrollTable({
  label,
  minWidth = 640,
  columns,
  children,
  testId,
}: {
  label: string;
  minWidth?: number;
  columns: ReadonlyArray<string | false>;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div role="region" aria-label={`${label} (table)`} tabIndex={0} style={{ overflowX: 'auto', maxWidth: '100%' }} data-testid={testId}>
      <Table striped highlightOnHover verticalSpacing="xs" style={{ minWidth }}>
        <Table.Thead>
          <Table.Tr>
            {columns.filter((column) => column !== false).map((column) => (
              <Table.Th key={column}>{column}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </div>
  );
}

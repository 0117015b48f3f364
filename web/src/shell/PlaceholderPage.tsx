import { Paper, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { PageHeader } from './PageHeader.js';

/** A page whose route exists and whose content is still to come. */
export function PlaceholderPage({ title, description, children }: { title: string; description: string; children?: ReactNode }) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <Paper withBorder p="lg">
        <Text>This page is not built yet. The data is already available in the API: see /api/docs.</Text>
        {children}
      </Paper>
    </>
  );
}

import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { PageHeader } from './PageHeader.js';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <Text>
        There is no page at this address. Go to the{' '}
        <Anchor component={Link} to="/" underline="always">
          dashboard
        </Anchor>
        .
      </Text>
    </>
  );
}

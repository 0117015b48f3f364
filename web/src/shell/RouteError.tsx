import { Alert, Button, Container, Stack } from '@mantine/core';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { errorMessage } from '../api/client.js';

/** Browsers word a failed dynamic import differently; all mean "that chunk is not on the server". */
const STALE_CHUNK = /dynamically imported module|Importing a module script failed|error loading dynamically imported module/i;

/**
 * What a page shows when it crashes or its code cannot be loaded. After a
 * NEXUS upgrade an open tab asks for page chunks that no longer exist: a
 * reload fetches the new ones.
 */
export function RouteError() {
  const error = useRouteError();
  const staleChunk = error instanceof Error && STALE_CHUNK.test(error.message);
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : errorMessage(error);
  return (
    <Container size="sm" py="xl">
      <Stack>
        <Alert color="red" variant="light" title={staleChunk ? 'NEXUS was updated' : 'This page failed'}>
          {staleChunk ? 'This tab has an older version of the console. Reload to get the new one.' : message}
        </Alert>
        <Stack gap="xs" align="flex-start">
          <Button onClick={() => window.location.reload()}>Reload the page</Button>
          <Button component={Link} to="/" variant="subtle">
            Go to the dashboard
          </Button>
        </Stack>
      </Stack>
    </Container>
  );
}

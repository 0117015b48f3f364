import { Alert, Button } from '@mantine/core';
import { errorMessage } from '../api/client.js';

/** An error from the API (or the network), in words, with a way to try again. */
export function ErrorNotice({ error, title = 'Could not load this', onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  return (
    <Alert color="red" variant="light" title={title}>
      {errorMessage(error)}
      {onRetry && (
        <div>
          <Button variant="subtle" color="red" size="compact-sm" mt="xs" onClick={onRetry}>
            Try again
          </Button>
        </div>
      )}
    </Alert>
  );
}

import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../api/client.js';
import { ThemeToggle } from '../shell/ThemeToggle.js';
import { useSession } from './SessionProvider.js';
import { safeNextPath } from './storage.js';

/** `POST /api/v1/auth/login`; then back to the page that sent us here (`?next=`). */
export function SignInPage() {
  useDocumentTitle('Sign in · NEXUS');
  const { session, endedReason, signIn } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNextPath(params.get('next'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  if (session) return <Navigate to={next} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
      navigate(next, { replace: true });
    } catch (failure) {
      setError(failure);
      setPending(false);
    }
  };

  return (
    <Center mih="100dvh" p="md" component="main">
      <Stack w="100%" maw={380}>
        <Group justify="space-between">
          <Title order={1} size="h2">
            Sign in to NEXUS
          </Title>
          <ThemeToggle />
        </Group>
        {endedReason && (
          <Alert color="yellow" variant="light" data-testid="session-ended">
            {endedReason}
          </Alert>
        )}
        <Paper withBorder p="lg" component="form" onSubmit={submit} aria-label="Sign in">
          <Stack>
            <TextInput
              label="Username"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              autoFocus
              value={username}
              onChange={(event) => setUsername(event.currentTarget.value)}
            />
            <PasswordInput
              label="Password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            {error !== null && (
              <Alert color="red" variant="light" title="Could not sign in" data-testid="sign-in-error">
                {errorMessage(error)}
              </Alert>
            )}
            <Button type="submit" loading={pending} fullWidth>
              Sign in
            </Button>
          </Stack>
        </Paper>
        <Text size="sm" c="dimmed">
          The first start of NEXUS prints the password of the user admin once.
        </Text>
      </Stack>
    </Center>
  );
}

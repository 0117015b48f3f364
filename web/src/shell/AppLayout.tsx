import { Anchor, AppShell, Burger, Button, Group, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import { Link, Outlet, ScrollRestoration, useLocation, useNavigation } from 'react-router';
import { LiveBanner, LiveIndicator } from '../live/LiveStatus.js';
import { hasRole } from '../session/roles.js';
import { useSession } from '../session/SessionProvider.js';
import { useCurrentUser } from '../session/queries.js';
import { isActive, NAV_ITEMS } from './nav.js';
import { ThemeToggle } from './ThemeToggle.js';

const NAVBAR_ID = 'main-navigation';

/**
 * The frame of every signed-in page: header (menu button below the `sm`
 * breakpoint, live indicator, theme), navigation, and the page in <main>.
 * After each navigation, focus moves to <main> so keyboard and screen
 * reader users start at the new page rather than on the link they used.
 */
export function AppLayout() {
  const [navOpened, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const { signOut } = useSession();
  const user = useCurrentUser();
  const location = useLocation();
  const navigation = useNavigation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  const items = NAV_ITEMS.filter((item) => !item.role || (user !== null && hasRole(user.role, item.role)));

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="md"
    >
      <a
        href="#main"
        className="skip-link"
        onClick={(event) => {
          event.preventDefault();
          mainRef.current?.focus();
        }}
      >
        Skip to main content
      </a>
      {navigation.state === 'loading' && <div className="nav-progress" aria-hidden="true" />}
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={toggleNav}
              hiddenFrom="sm"
              size="sm"
              aria-label={navOpened ? 'Close navigation' : 'Open navigation'}
              aria-expanded={navOpened}
              aria-controls={NAVBAR_ID}
            />
            <Anchor component={Link} to="/" fw={700} size="lg" underline="never" c="var(--mantine-color-text)">
              NEXUS
            </Anchor>
          </Group>
          <Group gap="md" wrap="nowrap">
            <LiveIndicator />
            <ThemeToggle />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" id={NAVBAR_ID} aria-label="Main" className="app-navbar" data-mobile-closed={navOpened ? undefined : true}>
        <AppShell.Section grow component={ScrollArea}>
          {items.map((item) => {
            const active = isActive(item, location.pathname);
            return (
              <NavLink
                key={item.to}
                component={Link}
                to={item.to}
                label={item.label}
                active={active}
                aria-current={active ? 'page' : undefined}
                onClick={closeNav}
              />
            );
          })}
        </AppShell.Section>
        <AppShell.Section>
          <Stack gap={4} pt="sm" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
            {user && (
              <Text size="sm" data-testid="signed-in-user">
                Signed in as <strong>{user.username}</strong> ({user.role})
              </Text>
            )}
            <Button variant="default" size="xs" onClick={() => signOut()}>
              Sign out
            </Button>
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main id="main" ref={mainRef} tabIndex={-1}>
        <LiveBanner />
        <Outlet />
      </AppShell.Main>
      <ScrollRestoration />
    </AppShell>
  );
}

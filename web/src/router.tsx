import { Center, Loader } from '@mantine/core';
import type { ComponentType } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { LiveProvider } from './live/LiveProvider.js';
import { RequireSession } from './session/RequireSession.js';
import { AppLayout } from './shell/AppLayout.js';
import { RouteError } from './shell/RouteError.js';

/**
 * Every page is its own chunk, loaded when first visited: the dashboard's
 * first load carries only the shell and the dashboard (npm run web:size).
 * A page module exports its component by name; `page()` adapts it to the
 * router's lazy loading.
 */
function page<M>(load: () => Promise<M>, pick: (module: M) => ComponentType): RouteObject['lazy'] {
  return async () => ({ Component: pick(await load()) });
}

/** Shown while the first page's code loads. */
const loading = (
  <Center mih="100dvh">
    <Loader aria-label="Loading NEXUS" />
  </Center>
);

export const routes: RouteObject[] = [
  {
    path: '/signin',
    errorElement: <RouteError />,
    hydrateFallbackElement: loading,
    lazy: page(() => import('./session/SignInPage.js'), (m) => m.SignInPage),
  },
  {
    element: (
      <RequireSession>
        <LiveProvider>
          <AppLayout />
        </LiveProvider>
      </RequireSession>
    ),
    errorElement: <RouteError />,
    hydrateFallbackElement: loading,
    children: [
      {
        errorElement: <RouteError />,
        children: [
          { index: true, lazy: page(() => import('./dashboard/DashboardPage.js'), (m) => m.DashboardPage) },
          { path: 'incidents', lazy: page(() => import('./incidents/HistoryPage.js'), (m) => m.HistoryPage) },
          { path: 'postmortems', lazy: page(() => import('./incidents/PostmortemsPage.js'), (m) => m.PostmortemsPage) },
          { path: 'incidents/:id', lazy: page(() => import('./incidents/IncidentPage.js'), (m) => m.IncidentPage) },
          { path: 'runbooks', lazy: page(() => import('./runbooks/RunbooksPage.js'), (m) => m.RunbooksPage) },
          { path: 'runbooks/:slug', lazy: page(() => import('./runbooks/RunbookPage.js'), (m) => m.RunbookPage) },
          { path: 'backups', lazy: page(() => import('./backups/BackupsPage.js'), (m) => m.BackupsPage) },
          { path: 'deployments', lazy: page(() => import('./deployments/DeploymentsPage.js'), (m) => m.DeploymentsPage) },
          { path: 'deployments/:id', lazy: page(() => import('./deployments/DeploymentPage.js'), (m) => m.DeploymentPage) },
          { path: 'schedules', lazy: page(() => import('./schedules/SchedulesPage.js'), (m) => m.SchedulesPage) },
          { path: 'alerts', lazy: page(() => import('./alerts/AlertsPage.js'), (m) => m.AlertsPage) },
          { path: 'oncall', lazy: page(() => import('./oncall/OncallPage.js'), (m) => m.OncallPage) },
          { path: 'audit', lazy: page(() => import('./audit/AuditPage.js'), (m) => m.AuditPage) },
          { path: 'admin/users', lazy: page(() => import('./admin/UsersPage.js'), (m) => m.UsersPage) },
          { path: 'admin/tokens', lazy: page(() => import('./admin/TokensPage.js'), (m) => m.TokensPage) },
          { path: 'admin/secrets', lazy: page(() => import('./admin/SecretsPage.js'), (m) => m.SecretsPage) },
          { path: '*', lazy: page(() => import('./shell/NotFoundPage.js'), (m) => m.NotFoundPage) },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);

// The staff console: one table for every menu section; meta.roles filters the side menu.
import type { RouteRecordRaw } from 'vue-router';

export const consoleLogin: RouteRecordRaw = {
  path: '/console/login',
  name: 'console-login',
  component: () => import('@/views/console/login/index.vue'),
  meta: { title: 'console.login.title' },
};

export const consoleRoutes: RouteRecordRaw = {
  path: '/console',
  component: () => import('@/layouts/ConsoleLayout.vue'),
  meta: { requiresAuth: true },
  children: [
    {
      path: '',
      name: 'console-dashboard',
      component: () => import('@/views/console/dashboard/index.vue'),
      meta: { title: 'console.menu.dashboard', icon: 'Odometer', requiresAuth: true },
    },
    {
      path: 'org',
      name: 'console-org',
      component: () => import('@/views/console/org/index.vue'),
      meta: { title: 'console.menu.org', icon: 'OfficeBuilding', requiresAuth: true, orgRead: true },
    },
    {
      path: 'officers',
      name: 'console-officers',
      component: () => import('@/views/console/officers/index.vue'),
      meta: { title: 'console.menu.officers', icon: 'User', requiresAuth: true, orgRead: true },
    },
    {
      path: 'channel-accounts',
      name: 'console-channel-accounts',
      component: () => import('@/views/console/channel-accounts/index.vue'),
      meta: { title: 'console.menu.channelAccounts', icon: 'ChatDotRound', requiresAuth: true, orgRead: true },
    },
    {
      path: 'accounts',
      name: 'console-accounts',
      component: () => import('@/views/console/accounts/index.vue'),
      meta: { title: 'console.menu.accounts', icon: 'Key', requiresAuth: true, roles: ['security_admin'] },
    },
    {
      path: 'sessions',
      name: 'console-sessions',
      component: () => import('@/views/console/sessions/index.vue'),
      meta: { title: 'console.menu.sessions', icon: 'Monitor', requiresAuth: true },
    },
    {
      path: 'audit',
      name: 'console-audit',
      component: () => import('@/views/console/audit/index.vue'),
      meta: { title: 'console.menu.audit', icon: 'Document', requiresAuth: true, roles: ['audit_admin'] },
    },
  ],
};

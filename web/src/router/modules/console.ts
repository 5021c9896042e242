// The staff console: one table for every menu section; meta.roles filters the side menu.
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '@/api/types';

/** Appeal roles (auth/access_policy.cc): read the inbox, handle, configure. */
const APPEAL_READ: Role[] = ['pr_officer', 'unit_head', 'officer', 'viewer'];
const APPEAL_HANDLE: Role[] = ['pr_officer', 'unit_head', 'officer'];
const APPEAL_CONFIGURE: Role[] = ['pr_officer', 'system_admin'];

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
      path: 'appeals',
      name: 'console-appeals',
      component: () => import('@/views/console/appeals/index.vue'),
      meta: { title: 'appeal.menu.inbox', icon: 'ChatLineSquare', requiresAuth: true, roles: APPEAL_READ },
    },
    {
      path: 'appeals/:id(\\d+)',
      name: 'console-appeal',
      component: () => import('@/views/console/appeals/detail.vue'),
      meta: { title: 'appeal.menu.detail', requiresAuth: true, roles: APPEAL_READ },
    },
    {
      path: 'appeals/hotline',
      name: 'console-appeal-hotline',
      component: () => import('@/views/console/appeals/hotline.vue'),
      meta: { title: 'appeal.menu.hotline', icon: 'Phone', requiresAuth: true, roles: APPEAL_HANDLE },
    },
    {
      path: 'appeal-metrics',
      name: 'console-appeal-metrics',
      component: () => import('@/views/console/appeal-metrics/index.vue'),
      meta: { title: 'appeal.menu.metrics', icon: 'DataLine', requiresAuth: true, roles: APPEAL_READ },
    },
    {
      path: 'appeal-categories',
      name: 'console-appeal-categories',
      component: () => import('@/views/console/appeal-categories/index.vue'),
      meta: { title: 'appeal.menu.categories', icon: 'Collection', requiresAuth: true, roles: APPEAL_CONFIGURE, rootOnly: true },
    },
    {
      path: 'reply-templates',
      name: 'console-reply-templates',
      component: () => import('@/views/console/reply-templates/index.vue'),
      meta: { title: 'appeal.menu.templates', icon: 'Tickets', requiresAuth: true, roles: APPEAL_CONFIGURE },
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

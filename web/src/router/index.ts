import type { App } from 'vue';
import { createRouter, createWebHistory, type Router } from 'vue-router';
import './types';
import portal from './modules/portal';
import { consoleLogin, consoleRoutes } from './modules/console';
import { allowed } from './access';
import { useAuthStore } from '@/store/modules/auth';
import { i18n } from '@/i18n';

let elementPlusReady: Promise<void> | null = null;

/** Loads and installs Element Plus once, the first time a console page is visited. */
function ensureElementPlus(app: App | undefined): Promise<void> {
  if (!app) return Promise.resolve();
  elementPlusReady ??= import('@/plugins/element').then((module) => module.installElementPlus(app));
  return elementPlusReady;
}

export function createAppRouter(app?: App): Router {
  const router = createRouter({
    history: createWebHistory('/'),
    routes: [
      portal,
      consoleLogin,
      consoleRoutes,
      {
        path: '/:pathMatch(.*)*',
        name: 'not-found',
        component: () => import('@/views/error/NotFound.vue'),
        meta: { title: 'common.notFound' },
      },
    ],
    scrollBehavior: () => ({ top: 0 }),
  });

  router.beforeEach(async (to) => {
    if (to.path.startsWith('/console')) await ensureElementPlus(app);
    if (!to.matched.some((record) => record.meta.requiresAuth)) return true;
    const auth = useAuthStore();
    if (!auth.checked) {
      try {
        await auth.fetchMe();
      } catch {
        // The server is unreachable: the sign-in page shows the error when it is tried.
      }
    }
    if (!auth.signedIn) return { path: '/console/login', query: { redirect: to.fullPath } };
    if (!allowed(to.meta, auth.roles, auth.account?.unit.path)) return { path: '/console' };
    return true;
  });

  router.afterEach((to) => {
    const title = to.meta.title ? i18n.global.t(to.meta.title) : '';
    document.title = title ? `${title} · ${i18n.global.t('app.name')}` : i18n.global.t('app.name');
  });

  return router;
}

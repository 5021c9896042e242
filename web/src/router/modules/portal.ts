// The public portal: mobile first, no sign-in, no Element Plus.
import type { RouteRecordRaw } from 'vue-router';

const portal: RouteRecordRaw = {
  path: '/',
  component: () => import('@/layouts/PortalLayout.vue'),
  children: [
    { path: '', name: 'home', component: () => import('@/views/portal/home/index.vue'), meta: { title: 'portal.nav.home' } },
    {
      path: 'units/:id(\\d+)',
      name: 'district',
      component: () => import('@/views/portal/district/index.vue'),
      meta: { title: 'portal.district.title' },
    },
    { path: 'officer', name: 'officer', component: () => import('@/views/portal/officer/index.vue'), meta: { title: 'portal.nav.officer' } },
    { path: 'accounts', name: 'public-accounts', component: () => import('@/views/portal/accounts/index.vue'), meta: { title: 'portal.nav.accounts' } },
    { path: 'appeal', name: 'appeal-submit', component: () => import('@/views/portal/appeal-submit/index.vue'), meta: { title: 'appeal.submit.title' } },
    { path: 'track', name: 'appeal-track', component: () => import('@/views/portal/appeal-track/index.vue'), meta: { title: 'appeal.track.title' } },
    { path: 'wall', name: 'appeal-wall', component: () => import('@/views/portal/appeal-wall/index.vue'), meta: { title: 'appeal.wall.title' } },
  ],
};

export default portal;

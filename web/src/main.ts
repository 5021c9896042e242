import { createApp } from 'vue';
import App from './App.vue';
import { pinia } from './store';
import { i18n, getLocale } from './i18n';
import { createAppRouter } from './router';
import { configureHttp } from './api/http';
import { useAuthStore } from './store/modules/auth';
import './styles/base.css';

const app = createApp(App);
app.use(pinia);
app.use(i18n);
const router = createAppRouter(app);
app.use(router);

const auth = useAuthStore(pinia);
configureHttp({
  csrfToken: () => auth.csrfToken,
  onUnauthorized: () => {
    // In the console a lapsed session sends the user to sign in and back again.
    const current = router.currentRoute.value;
    if (!current.path.startsWith('/console') || current.path === '/console/login') return;
    auth.clear();
    void router.replace({ path: '/console/login', query: { redirect: current.fullPath } });
  },
});

document.documentElement.lang = getLocale();
app.mount('#app');

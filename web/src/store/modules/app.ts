// UI preferences: language (remembered in localStorage) and the console's side menu state.
import { defineStore } from 'pinia';
import { getLocale, setLocale, type Locale } from '@/i18n';

export const useAppStore = defineStore('app', {
  state: () => ({
    locale: getLocale() as Locale,
    sidebarCollapsed: false,
  }),
  actions: {
    changeLocale(locale: Locale) {
      setLocale(locale);
      this.locale = locale;
    },
    toggleSidebar() {
      this.sidebarCollapsed = !this.sidebarCollapsed;
    },
  },
});

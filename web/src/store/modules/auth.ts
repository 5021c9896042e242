// The signed-in staff member, their roles and the CSRF token sent on state-changing requests.
import { defineStore } from 'pinia';
import * as authApi from '@/api/auth';
import { isApiError } from '@/api/http';
import type { Role, SignedInAccount } from '@/api/types';

interface AuthState {
  account: SignedInAccount | null;
  csrfToken: string | null;
  /** True once /auth/me answered (signed in or not) in this page load. */
  checked: boolean;
}

export const useAuthStore = defineStore('auth', {
  state: (): AuthState => ({ account: null, csrfToken: null, checked: false }),
  getters: {
    signedIn: (state) => state.account !== null,
    roles: (state): Role[] => state.account?.roles ?? [],
  },
  actions: {
    hasRole(...roles: Role[]): boolean {
      return roles.some((role) => this.roles.includes(role));
    },
    /** True when the account may read the org tree: any role other than audit_admin alone. */
    canReadOrg(): boolean {
      return this.roles.some((role) => role !== 'audit_admin');
    },
    async login(username: string, password: string) {
      const result = await authApi.login(username, password);
      this.account = result.account;
      this.csrfToken = result.csrf_token;
      this.checked = true;
    },
    /** Asks the server who is signed in; never throws for 401. */
    async fetchMe(): Promise<boolean> {
      try {
        const result = await authApi.me();
        this.account = result.account;
        this.csrfToken = result.csrf_token;
      } catch (error) {
        if (!isApiError(error) || error.status !== 401) {
          this.checked = true;
          throw error;
        }
        this.account = null;
        this.csrfToken = null;
      }
      this.checked = true;
      return this.account !== null;
    },
    async logout() {
      try {
        await authApi.logout();
      } finally {
        this.clear();
      }
    },
    clear() {
      this.account = null;
      this.csrfToken = null;
      this.checked = true;
    },
  },
});

import 'vue-router';
import type { Role } from '@/api/types';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title (breadcrumb, menu, document title). */
    title?: string;
    /** Console pages need a signed-in staff member. */
    requiresAuth?: boolean;
    /** Shown only to accounts that hold one of these roles (the server still decides). */
    roles?: Role[];
    /** Shown to accounts that may read the org tree (any role but audit_admin alone). */
    orgRead?: boolean;
    /** Only for accounts of the root unit (city-wide configuration, e.g. appeal categories). */
    rootOnly?: boolean;
    /** Element Plus icon name for the side menu; absent means not in the menu. */
    icon?: string;
  }
}

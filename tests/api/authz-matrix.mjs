// The authorization matrix table: every "METHOD pattern" the server serves under /api/ maps to
// the policy action it needs and a builder for a request aimed at a target unit.
//
// action: one of the policy actions below, 'public' (no session needed; allowed for everyone),
//   'self' (auth routes: allowed for every signed-in account) or 'audit.read' (audit_admin only,
//   whatever the unit).
// targetless: true when the route takes no unit target (run once per actor, not per relation).
// build(ctx) -> {path, json?, body?, contentType?, client?}: `ctx` is
//   {target, actor, admin, security, fixtures, server, jiefangbeiId, yuzhongId, freshUnit()} where
//   target is the unit chosen by relation (a fresh read: {id, kind, parent_id, version, ...}),
//   actor is {username, password, client}, admin/security are city.system_admin and
//   city.security_admin clients, fixtures = {officer, channel, account} created in the target.
// allowedStatuses: what an allowed request may get (default 200/201/204); the table's requests
//   are valid, so anything else means the builder (or the server) is wrong.
import { Client, expectStatus, unique } from './harness.mjs';

// The access policy: role -> actions, each allowed when the target is the actor's unit or in
// its subtree.
export const POLICY = {
  system_admin: ['org.read', 'org.write', 'officer.write', 'officer.reveal_phone', 'channel.write'],
  security_admin: ['org.read', 'account.read', 'account.write', 'officer.reveal_phone'],
  audit_admin: ['audit.read'],
  pr_officer: ['org.read', 'channel.write'],
  unit_head: ['org.read', 'officer.reveal_phone'],
  officer: ['org.read'],
  viewer: ['org.read'],
};
export const ROLES = Object.keys(POLICY);
export const RELATIONS = ['same', 'child', 'parent', 'sibling', 'other_district'];

// Whether the policy allows `role` to do `action` on a target in `relation` to its unit.
export function expectedAllowed(role, action, relation) {
  if (action === 'public' || action === 'self') return true;
  if (action === 'audit.read') return role === 'audit_admin';
  return POLICY[role].includes(action) && (relation === 'same' || relation === 'child');
}

// The kind of a new unit directly under a unit of `kind` (null: nothing goes under a beat).
export function childKind(kind) {
  return { city_bureau: 'police_type', district_bureau: 'station', police_type: 'station', station: 'beat' }[kind] ?? null;
}

const strongPassword = () => `Mx9#${unique('lantern-')}`;

async function current(client, path) {
  return expectStatus(await client.get(path), 200, `read ${path}`).json;
}

export const MATRIX = {
  // --- public portal -------------------------------------------------------------------------
  'GET /api/v1/public/districts': {
    action: 'public', targetless: true, build: () => ({ path: '/api/v1/public/districts' }),
  },
  'GET /api/v1/public/bureau': {
    action: 'public', targetless: true, build: () => ({ path: '/api/v1/public/bureau' }),
  },
  'GET /api/v1/public/units/{id}/stations': {
    action: 'public', targetless: true,
    build: (ctx) => ({ path: `/api/v1/public/units/${ctx.yuzhongId}/stations` }),
  },
  'GET /api/v1/public/beats': {
    action: 'public', targetless: true,
    build: (ctx) => ({ path: `/api/v1/public/beats?district_id=${ctx.yuzhongId}&q=${encodeURIComponent('社区')}` }),
  },
  'GET /api/v1/public/accounts': {
    action: 'public', targetless: true, build: () => ({ path: '/api/v1/public/accounts?platform=weibo' }),
  },

  // --- auth: every signed-in account, for itself ----------------------------------------------
  'POST /api/v1/auth/login': {
    action: 'public', targetless: true,
    build: (ctx) => ({
      path: '/api/v1/auth/login',
      json: { username: ctx.actor.username, password: ctx.actor.password },
      client: new Client(ctx.server),
    }),
  },
  'POST /api/v1/auth/logout': {
    action: 'self', targetless: true,
    build: async (ctx) => {
      const fresh = new Client(ctx.server);
      await fresh.login(ctx.actor.username, ctx.actor.password);
      return { path: '/api/v1/auth/logout', client: fresh };
    },
  },
  'GET /api/v1/auth/me': {
    action: 'self', targetless: true, build: () => ({ path: '/api/v1/auth/me' }),
  },
  'GET /api/v1/auth/sessions': {
    action: 'self', targetless: true, build: () => ({ path: '/api/v1/auth/sessions' }),
  },
  'DELETE /api/v1/auth/sessions/{id}': {
    action: 'self', targetless: true,
    build: async (ctx) => {
      const fresh = new Client(ctx.server);
      await fresh.login(ctx.actor.username, ctx.actor.password);
      const sessions = await current(fresh, '/api/v1/auth/sessions');
      const mine = sessions.items.find((s) => s.current);
      return { path: `/api/v1/auth/sessions/${mine.id}` };
    },
  },
  'POST /api/v1/auth/password': {
    action: 'self', targetless: true,
    // A too-short new password: allowed callers get 422, and no password changes.
    allowedStatuses: [422],
    build: (ctx) => ({ path: '/api/v1/auth/password', json: { current_password: ctx.actor.password, new_password: 'short' } }),
  },

  // --- staff accounts ----------------------------------------------------------------------
  'GET /api/v1/accounts': {
    action: 'account.read', build: (ctx) => ({ path: `/api/v1/accounts?unit_id=${ctx.target.id}` }),
  },
  'POST /api/v1/accounts': {
    action: 'account.write',
    build: (ctx) => ({
      path: '/api/v1/accounts',
      json: {
        username: unique('mx.').toLowerCase(), display_name: '矩阵账号', unit_id: ctx.target.id,
        roles: ['viewer'], password: strongPassword(),
      },
    }),
  },
  'GET /api/v1/accounts/{id}': {
    action: 'account.read', build: (ctx) => ({ path: `/api/v1/accounts/${ctx.fixtures.account.id}` }),
  },
  'PATCH /api/v1/accounts/{id}': {
    action: 'account.write',
    build: async (ctx) => {
      const account = await current(ctx.security, `/api/v1/accounts/${ctx.fixtures.account.id}`);
      return { path: `/api/v1/accounts/${account.id}`, json: { version: account.version, display_name: unique('矩阵') } };
    },
  },
  'POST /api/v1/accounts/{id}/password': {
    action: 'account.write',
    build: (ctx) => ({ path: `/api/v1/accounts/${ctx.fixtures.account.id}/password`, json: { password: strongPassword() } }),
  },
  'POST /api/v1/accounts/{id}/unlock': {
    action: 'account.write', build: (ctx) => ({ path: `/api/v1/accounts/${ctx.fixtures.account.id}/unlock` }),
  },

  // --- audit ---------------------------------------------------------------------------------
  'GET /api/v1/audit': {
    action: 'audit.read', targetless: true, build: () => ({ path: '/api/v1/audit?page_size=5' }),
  },
  'GET /api/v1/audit/verify': {
    action: 'audit.read', targetless: true, build: () => ({ path: '/api/v1/audit/verify' }),
  },

  // --- units ---------------------------------------------------------------------------------
  'GET /api/v1/units/tree': {
    action: 'org.read', build: (ctx) => ({ path: `/api/v1/units/tree?root_id=${ctx.target.id}&depth=1` }),
  },
  'GET /api/v1/units': {
    action: 'org.read', build: (ctx) => ({ path: `/api/v1/units?parent_id=${ctx.target.id}` }),
  },
  'GET /api/v1/units/{id}': {
    action: 'org.read', build: (ctx) => ({ path: `/api/v1/units/${ctx.target.id}` }),
  },
  'POST /api/v1/units': {
    action: 'org.write',
    allowedStatuses: [201, 422],  // 422 when the target is a beat: nothing goes under a beat
    build: (ctx) => ({
      path: '/api/v1/units',
      json: { parent_id: ctx.target.id, kind: childKind(ctx.target.kind) ?? 'beat', name: unique('矩阵单位') },
    }),
  },
  'PATCH /api/v1/units/{id}': {
    action: 'org.write',
    build: async (ctx) => {
      const unit = await current(ctx.admin, `/api/v1/units/${ctx.target.id}`);
      return { path: `/api/v1/units/${unit.id}`, json: { version: unit.version, address: unique('重庆市矩阵路') } };
    },
  },
  // Moves a fresh unit (same relation to the actor as the target) under the target.
  'POST /api/v1/units/{id}/move': {
    action: 'org.write',
    allowedStatuses: [200, 422],  // 422 when the target is a beat
    build: async (ctx) => {
      const unit = await ctx.freshUnit();
      return { path: `/api/v1/units/${unit.id}/move`, json: { version: unit.version, parent_id: ctx.target.id } };
    },
  },
  'POST /api/v1/units/{id}/deactivate': {
    action: 'org.write',
    build: async (ctx) => {
      const unit = await ctx.freshUnit();
      return { path: `/api/v1/units/${unit.id}/deactivate`, json: { version: unit.version } };
    },
  },
  'POST /api/v1/units/{id}/activate': {
    action: 'org.write',
    build: async (ctx) => {
      const unit = await ctx.freshUnit();
      const off = expectStatus(await ctx.admin.post(`/api/v1/units/${unit.id}/deactivate`, { version: unit.version }),
        200, 'fixture deactivate');
      return { path: `/api/v1/units/${unit.id}/activate`, json: { version: off.json.version } };
    },
  },

  // --- officers ------------------------------------------------------------------------------
  'GET /api/v1/officers': {
    action: 'org.read', build: (ctx) => ({ path: `/api/v1/officers?unit_id=${ctx.target.id}` }),
  },
  'POST /api/v1/officers': {
    action: 'officer.write',
    build: (ctx) => ({
      path: '/api/v1/officers',
      json: { badge_no: unique('MX').slice(0, 20), name: '矩阵警官', unit_id: ctx.target.id, title: '民警', phone: '13800001234' },
    }),
  },
  'GET /api/v1/officers/{id}': {
    action: 'org.read', build: (ctx) => ({ path: `/api/v1/officers/${ctx.fixtures.officer.id}` }),
  },
  'PATCH /api/v1/officers/{id}': {
    action: 'officer.write',
    build: async (ctx) => {
      const officer = await current(ctx.admin, `/api/v1/officers/${ctx.fixtures.officer.id}`);
      return { path: `/api/v1/officers/${officer.id}`, json: { version: officer.version, title: unique('社区民警') } };
    },
  },
  'POST /api/v1/officers/{id}/reveal-phone': {
    action: 'officer.reveal_phone', build: (ctx) => ({ path: `/api/v1/officers/${ctx.fixtures.officer.id}/reveal-phone` }),
  },

  // --- channel accounts -----------------------------------------------------------------------
  'GET /api/v1/channel-accounts': {
    action: 'org.read', build: (ctx) => ({ path: `/api/v1/channel-accounts?unit_id=${ctx.target.id}` }),
  },
  'POST /api/v1/channel-accounts': {
    action: 'channel.write',
    build: (ctx) => ({
      path: '/api/v1/channel-accounts',
      json: { platform: 'weibo', name: '矩阵微博', handle: unique('mx_'), unit_id: ctx.target.id },
    }),
  },
  'GET /api/v1/channel-accounts/{id}': {
    action: 'org.read', build: (ctx) => ({ path: `/api/v1/channel-accounts/${ctx.fixtures.channel.id}` }),
  },
  'PATCH /api/v1/channel-accounts/{id}': {
    action: 'channel.write',
    build: async (ctx) => {
      const channel = await current(ctx.admin, `/api/v1/channel-accounts/${ctx.fixtures.channel.id}`);
      return {
        path: `/api/v1/channel-accounts/${channel.id}`,
        json: { version: channel.version, followers: Math.floor(Math.random() * 100000) },
      };
    },
  },

  // --- CSV import ----------------------------------------------------------------------------
  'POST /api/v1/import/units': {
    action: 'org.write',
    allowedStatuses: [200, 422],  // 422 when the target is a beat
    build: (ctx) => ({
      path: '/api/v1/import/units',
      contentType: 'text/csv',
      body: `parent,kind,name,code,public_phone,address,communities\n${ctx.target.id},${childKind(ctx.target.kind) ?? 'beat'},${unique('矩阵导入')},,,,\n`,
    }),
  },
  'POST /api/v1/import/officers': {
    action: 'officer.write',
    build: (ctx) => ({
      path: '/api/v1/import/officers',
      contentType: 'text/csv',
      body: `badge_no,name,unit_id_or_code,title,phone\n${unique('MI').slice(0, 20)},矩阵导入,${ctx.target.id},民警,13800005678\n`,
    }),
  },
};

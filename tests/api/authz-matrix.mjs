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
// fixedRelation: the target is always in this relation to every actor, whatever the relation
//   row ('ancestor' for city-wide configuration, which checks the city bureau).
//
// Appeal routes also get ctx.cityPr (city.pr_officer, who can drive any appeal anywhere),
// ctx.category (an active category code), ctx.unitFor(relation) (the actor's target in another
// relation), ctx.allowed (whether the policy allows this request) and fixtures.{appeal (assigned
// at the target, with tracking_number and access_code), template, wechat, rule, open311, pr (a
// pr_officer client signed in at the target unit)}. Builders make a fresh appeal in the state
// the action needs only when the request is allowed; denied requests use the fixtures (the policy
// is checked before the state and the version).
import { Client, expectStatus, unique } from './harness.mjs';
import { appealAt, tinyPng, submission } from './appeal-fixtures.mjs';

// The access policy: role -> actions, each allowed when the target is the actor's unit or in
// its subtree.
export const POLICY = {
  system_admin: ['org.read', 'org.write', 'officer.write', 'officer.reveal_phone', 'channel.write',
    'appeal.configure'],
  security_admin: ['org.read', 'account.read', 'account.write', 'officer.reveal_phone'],
  audit_admin: ['audit.read'],
  pr_officer: ['org.read', 'channel.write', 'appeal.read', 'appeal.handle', 'appeal.supervise',
    'appeal.reveal_contact', 'appeal.configure'],
  unit_head: ['org.read', 'officer.reveal_phone', 'appeal.read', 'appeal.handle', 'appeal.supervise',
    'appeal.reveal_contact'],
  officer: ['org.read', 'appeal.read', 'appeal.handle'],
  viewer: ['org.read', 'appeal.read'],
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

  // --- appeals: public side --------------------------------------------------------------------
  'POST /api/v1/public/appeals': {
    action: 'public', targetless: true,
    build: (ctx) => ({ path: '/api/v1/public/appeals', json: submission(ctx.category), client: new Client(ctx.server) }),
  },
  'GET /api/v1/public/appeals/similar': {
    action: 'public', targetless: true,
    build: (ctx) => ({ path: `/api/v1/public/appeals/similar?district_code=500103&category=${ctx.category}&q=${encodeURIComponent('噪音')}` }),
  },
  'POST /api/v1/public/appeals/track': {
    action: 'public', targetless: true,
    build: (ctx) => ({
      path: '/api/v1/public/appeals/track',
      json: { tracking_number: ctx.fixtures.appeal.tracking_number, access_code: ctx.fixtures.appeal.access_code },
      client: new Client(ctx.server),
    }),
  },
  'POST /api/v1/public/appeals/rate': {
    action: 'public', targetless: true,
    build: async (ctx) => {
      const a = await appealAt(ctx.cityPr, { unitId: ctx.target.id, state: 'replied', category: ctx.category, server: ctx.server });
      return {
        path: '/api/v1/public/appeals/rate',
        json: { tracking_number: a.tracking_number, access_code: a.access_code, rating: 'satisfied', comment: '满意' },
        client: new Client(ctx.server),
      };
    },
  },
  'POST /api/v1/public/appeals/reopen': {
    action: 'public', targetless: true,
    build: async (ctx) => {
      const a = await appealAt(ctx.cityPr, { unitId: ctx.target.id, state: 'closed', category: ctx.category, server: ctx.server });
      return {
        path: '/api/v1/public/appeals/reopen',
        json: { tracking_number: a.tracking_number, access_code: a.access_code, reason: '问题又出现了' },
        client: new Client(ctx.server),
      };
    },
  },
  'GET /api/v1/public/wall': {
    action: 'public', targetless: true, build: () => ({ path: '/api/v1/public/wall?district_code=500103&page_size=5' }),
  },
  'GET /api/v1/public/appeal-categories': {
    action: 'public', targetless: true, build: () => ({ path: '/api/v1/public/appeal-categories' }),
  },
  'POST /api/v1/public/attachments': {
    action: 'public', targetless: true,
    build: (ctx) => ({ path: '/api/v1/public/attachments', body: tinyPng(), contentType: 'image/png', client: new Client(ctx.server) }),
  },
  'GET /api/v1/public/attachments/{id}': {
    action: 'public', targetless: true,
    build: async (ctx) => {
      const up = expectStatus(await new Client(ctx.server).request('POST', '/api/v1/public/attachments', {
        body: tinyPng(), contentType: 'image/png',
      }), 201, 'public upload').json;
      return { path: up.url, client: new Client(ctx.server) };
    },
  },

  // --- attachments (staff): uploads by those who handle appeals; a photo is visible to those
  // who may read its appeal (it is attached here through a verification note at the target).
  'POST /api/v1/attachments': {
    action: 'appeal.handle', targetless: true,
    build: () => ({ path: '/api/v1/attachments?kind=verification', body: tinyPng(), contentType: 'image/png' }),
  },
  'GET /api/v1/attachments/{id}': {
    action: 'appeal.read',
    build: async (ctx) => {
      const up = expectStatus(await ctx.cityPr.request('POST', '/api/v1/attachments?kind=verification', {
        body: tinyPng(), contentType: 'image/png',
      }), 201, 'staff upload').json;
      const a = await freshAppeal(ctx, 'assigned');
      expectStatus(await ctx.cityPr.post(`/api/v1/appeals/${a.id}/verify`, {
        version: a.version, notes: '现场照片', photo_ids: [up.id],
      }), 200, 'verification with a photo');
      return { path: `/api/v1/attachments/${up.id}` };
    },
  },

  // --- appeals: inbox and workflow -------------------------------------------------------------
  'GET /api/v1/appeals': {
    action: 'appeal.read', build: (ctx) => ({ path: `/api/v1/appeals?unit_id=${ctx.target.id}&page_size=5` }),
  },
  // A post made into an appeal is recorded at the actor's own unit, like a hotline call.
  'POST /api/v1/appeals/from-post': {
    action: 'appeal.handle', targetless: true,
    build: (ctx) => ({
      path: '/api/v1/appeals/from-post',
      json: { ...submission(ctx.category), channel: 'forum', source_url: 'https://bbs.example.cn/thread-1.html' },
    }),
  },
  'GET /api/v1/appeals/export': {
    action: 'appeal.read', build: (ctx) => ({ path: `/api/v1/appeals/export?unit_id=${ctx.target.id}&state=closed` }),
  },
  // A hotline call is recorded at the actor's own unit.
  'POST /api/v1/appeals': {
    action: 'appeal.handle', targetless: true,
    build: (ctx) => ({ path: '/api/v1/appeals', json: submission(ctx.category, { caller_number: '13800001111' }) }),
  },
  'GET /api/v1/appeals/{id}': {
    action: 'appeal.read', build: (ctx) => ({ path: `/api/v1/appeals/${ctx.fixtures.appeal.id}` }),
  },
  // Supervision of the target unit gates the batch; the appeal (acknowledged at the actor's
  // district when there is one) may still fail on its own, which is reported in `failed`.
  'POST /api/v1/appeals/bulk-assign': {
    action: 'appeal.supervise',
    build: async (ctx) => {
      let id = ctx.fixtures.appeal.id;
      if (ctx.allowed && ctx.actor.level === 'yuzhong') {
        id = (await appealAt(ctx.cityPr, { state: 'acknowledged', category: ctx.category, districtCode: '500103' })).id;
      }
      return { path: '/api/v1/appeals/bulk-assign', json: { ids: [id], unit_id: ctx.target.id } };
    },
  },
  'POST /api/v1/appeals/{id}/reveal-contact': {
    action: 'appeal.reveal_contact', build: (ctx) => ({ path: `/api/v1/appeals/${ctx.fixtures.appeal.id}/reveal-contact` }),
  },
  // Only district bureaus and the city bureau hold submitted and acknowledged appeals: at a
  // station or a beat the allowed request meets an assigned appeal and gets 409.
  'POST /api/v1/appeals/{id}/acknowledge': {
    action: 'appeal.handle',
    allowedStatuses: [200, 409],
    build: async (ctx) => {
      let a = ctx.fixtures.appeal;
      if (ctx.allowed && ['district_bureau', 'city_bureau'].includes(ctx.target.kind)) {
        a = await appealAt(ctx.cityPr, { state: 'submitted', category: ctx.category, districtCode: ctx.target.code || undefined });
      }
      return { path: `/api/v1/appeals/${a.id}/acknowledge`, json: { version: a.version, text: '已受理' } };
    },
  },
  'POST /api/v1/appeals/{id}/assign': {
    action: 'appeal.handle',
    allowedStatuses: [200, 409],
    build: async (ctx) => {
      let a = ctx.fixtures.appeal;
      if (ctx.allowed && ['district_bureau', 'city_bureau'].includes(ctx.target.kind)) {
        a = await appealAt(ctx.cityPr, { state: 'acknowledged', category: ctx.category, districtCode: ctx.target.code || undefined });
      }
      return { path: `/api/v1/appeals/${a.id}/assign`, json: { version: a.version, unit_id: ctx.target.id, note: '请办理' } };
    },
  },
  // Transfer within the actor's reach: from its own unit down, or from a child up to it.
  'POST /api/v1/appeals/{id}/transfer': {
    action: 'appeal.handle',
    build: async (ctx) => {
      const a = ctx.allowed ? await freshAppeal(ctx, 'assigned') : ctx.fixtures.appeal;
      const to = ctx.relation === 'same' ? ctx.unitFor('child').id : ctx.unitFor('same').id;
      return { path: `/api/v1/appeals/${a.id}/transfer`, json: { version: a.version, unit_id: to, reason: '属地管辖' } };
    },
  },
  'POST /api/v1/appeals/{id}/verify': {
    action: 'appeal.handle',
    build: async (ctx) => {
      const a = ctx.allowed ? await freshAppeal(ctx, 'assigned') : ctx.fixtures.appeal;
      return { path: `/api/v1/appeals/${a.id}/verify`, json: { version: a.version, notes: '现场核实' } };
    },
  },
  'POST /api/v1/appeals/{id}/reply': {
    action: 'appeal.handle',
    build: async (ctx) => {
      const a = ctx.allowed ? await freshAppeal(ctx, 'assigned') : ctx.fixtures.appeal;
      return { path: `/api/v1/appeals/${a.id}/reply`, json: { version: a.version, text: '已答复' } };
    },
  },
  'POST /api/v1/appeals/{id}/notes': {
    action: 'appeal.handle',
    build: (ctx) => ({ path: `/api/v1/appeals/${ctx.fixtures.appeal.id}/notes`, json: { note: unique('内部备注') } }),
  },
  'POST /api/v1/appeals/{id}/rectification': {
    action: 'appeal.handle',
    build: async (ctx) => {
      const a = ctx.allowed ? await freshAppeal(ctx, 'rectifying') : ctx.fixtures.appeal;
      return {
        path: `/api/v1/appeals/${a.id}/rectification`,
        json: { version: a.version, task: '限期整改', deadline: new Date(Date.now() + 7 * 86400_000).toISOString() },
      };
    },
  },
  'POST /api/v1/appeals/{id}/complete-rectification': {
    action: 'appeal.handle',
    build: async (ctx) => {
      const a = ctx.allowed ? await freshAppeal(ctx, 'rectifying') : ctx.fixtures.appeal;
      return { path: `/api/v1/appeals/${a.id}/complete-rectification`, json: { version: a.version, result: '整改完成' } };
    },
  },
  'POST /api/v1/appeals/{id}/follow-up': {
    action: 'appeal.handle',
    build: async (ctx) => {
      const a = ctx.allowed ? await freshAppeal(ctx, 'follow_up') : ctx.fixtures.appeal;
      return {
        path: `/api/v1/appeals/${a.id}/follow-up`,
        json: { version: a.version, channel: 'phone', visited_at: new Date(Date.now() - 60_000).toISOString(), visited_by: '张警官', citizen_view: '满意' },
      };
    },
  },
  'POST /api/v1/appeals/{id}/merge': {
    action: 'appeal.supervise',
    build: async (ctx) => {
      const a = ctx.allowed ? await freshAppeal(ctx, 'assigned') : ctx.fixtures.appeal;
      const original = ctx.allowed ? await freshAppeal(ctx, 'assigned') : ctx.fixtures.appeal2;
      return { path: `/api/v1/appeals/${a.id}/merge`, json: { version: a.version, original_id: original.id } };
    },
  },

  // --- appeals: the actor's own views and notifications ---------------------------------------
  'GET /api/v1/appeal-views': {
    action: 'self', targetless: true, build: () => ({ path: '/api/v1/appeal-views' }),
  },
  'POST /api/v1/appeal-views': {
    action: 'self', targetless: true,
    build: () => ({ path: '/api/v1/appeal-views', json: { name: unique('视图'), filter: { state: 'assigned' } } }),
  },
  'DELETE /api/v1/appeal-views/{id}': {
    action: 'self', targetless: true,
    build: async (ctx) => {
      const view = expectStatus(await ctx.actor.client.post('/api/v1/appeal-views', { name: unique('视图'), filter: {} }),
        201, 'fixture view').json;
      return { path: `/api/v1/appeal-views/${view.id}` };
    },
  },
  'GET /api/v1/notifications': {
    action: 'self', targetless: true, build: () => ({ path: '/api/v1/notifications?unread=true' }),
  },
  // An assignment to the actor's unit notifies it; the actor marks that notification read.
  'POST /api/v1/notifications/{id}/read': {
    action: 'self', targetless: true,
    build: async (ctx) => {
      await appealAt(ctx.cityPr, { unitId: ctx.actorUnitId, state: 'assigned', category: ctx.category });
      const list = await current(ctx.actor.client, '/api/v1/notifications?unread=true&page_size=1');
      if (list.items.length === 0) throw new Error('no notification for the actor\'s unit');
      return { path: `/api/v1/notifications/${list.items[0].id}/read` };
    },
  },
  'GET /api/v1/appeal-metrics': {
    action: 'appeal.read', build: (ctx) => ({ path: `/api/v1/appeal-metrics?unit_id=${ctx.target.id}&from=2024-01-01&to=2030-12-31&trend=month` }),
  },

  // --- appeals: reply templates (configured per unit) ------------------------------------------
  'GET /api/v1/reply-templates': {
    action: 'appeal.read', targetless: true, build: () => ({ path: '/api/v1/reply-templates' }),
  },
  'POST /api/v1/reply-templates': {
    action: 'appeal.configure',
    build: (ctx) => ({ path: '/api/v1/reply-templates', json: { unit_id: ctx.target.id, title: unique('模板'), text: '您好，已收到。' } }),
  },
  'PATCH /api/v1/reply-templates/{id}': {
    action: 'appeal.configure',
    build: async (ctx) => {
      const t = ctx.allowed ? await freshTemplate(ctx) : ctx.fixtures.template;
      return { path: `/api/v1/reply-templates/${t.id}`, json: { version: t.version, title: unique('模板'), text: '更新后的模板' } };
    },
  },
  'DELETE /api/v1/reply-templates/{id}': {
    action: 'appeal.configure',
    build: async (ctx) => {
      const t = ctx.allowed ? await freshTemplate(ctx) : ctx.fixtures.template;
      return { path: `/api/v1/reply-templates/${t.id}` };
    },
  },

  // --- appeals: city-wide configuration (checked at the city bureau: an ancestor of every
  // matrix actor, so denied to all of them; tests/api/appeals.test.mjs covers the city level) ---
  'GET /api/v1/appeal-categories': {
    action: 'appeal.configure', targetless: true, fixedRelation: 'ancestor', build: () => ({ path: '/api/v1/appeal-categories' }),
  },
  'PUT /api/v1/appeal-categories/{code}': {
    action: 'appeal.configure', targetless: true, fixedRelation: 'ancestor',
    build: () => ({ path: '/api/v1/appeal-categories/matrix_test', json: { name: '矩阵类别', active: false } }),
  },
  'GET /api/v1/appeal-calendar': {
    action: 'appeal.configure', targetless: true, fixedRelation: 'ancestor', build: () => ({ path: '/api/v1/appeal-calendar' }),
  },
  'PUT /api/v1/appeal-calendar/{date}': {
    action: 'appeal.configure', targetless: true, fixedRelation: 'ancestor',
    build: () => ({ path: '/api/v1/appeal-calendar/2031-01-01', json: { kind: 'holiday', name: '元旦' } }),
  },
  'DELETE /api/v1/appeal-calendar/{date}': {
    action: 'appeal.configure', targetless: true, fixedRelation: 'ancestor',
    build: () => ({ path: '/api/v1/appeal-calendar/2031-01-01' }),
  },
  'GET /api/v1/appeal-deadlines': {
    action: 'appeal.configure', targetless: true, fixedRelation: 'ancestor', build: () => ({ path: '/api/v1/appeal-deadlines' }),
  },
  'PUT /api/v1/appeal-deadlines/{kind}': {
    action: 'appeal.configure', targetless: true, fixedRelation: 'ancestor',
    build: () => ({ path: '/api/v1/appeal-deadlines/consultation', json: { version: 1, acknowledge_hours: 24, reply_working_days: 5, resolve_working_days: 15 } }),
  },

  // --- WeChat accounts (the channel account's unit is the target) -------------------------------
  'GET /api/v1/wechat-accounts': {
    action: 'org.read', targetless: true, build: () => ({ path: '/api/v1/wechat-accounts' }),
  },
  'POST /api/v1/wechat-accounts': {
    action: 'channel.write',
    build: async (ctx) => {
      let channelId = ctx.fixtures.channel.id;
      if (ctx.allowed) {
        channelId = expectStatus(await ctx.admin.post('/api/v1/channel-accounts', {
          platform: 'wechat', name: '矩阵公众号', handle: unique('mxw_'), unit_id: ctx.target.id,
        }), 201, 'fresh wechat channel account').json.id;
      }
      return { path: '/api/v1/wechat-accounts', json: wechatAccountBody(channelId) };
    },
  },
  'GET /api/v1/wechat-accounts/{id}': {
    action: 'org.read', build: (ctx) => ({ path: `/api/v1/wechat-accounts/${ctx.fixtures.wechat.id}` }),
  },
  'PATCH /api/v1/wechat-accounts/{id}': {
    action: 'channel.write',
    build: async (ctx) => {
      const w = await current(ctx.admin, `/api/v1/wechat-accounts/${ctx.fixtures.wechat.id}`);
      return { path: `/api/v1/wechat-accounts/${w.id}`, json: { version: w.version, welcome_text: unique('欢迎关注') } };
    },
  },
  'GET /api/v1/wechat-accounts/{id}/faq-rules': {
    action: 'org.read', build: (ctx) => ({ path: `/api/v1/wechat-accounts/${ctx.fixtures.wechat.id}/faq-rules` }),
  },
  'POST /api/v1/wechat-accounts/{id}/faq-rules': {
    action: 'channel.write',
    build: (ctx) => ({
      path: `/api/v1/wechat-accounts/${ctx.fixtures.wechat.id}/faq-rules`,
      json: { keywords: [unique('kw')], match: 'contains', reply_text: '请拨打110。' },
    }),
  },
  'PATCH /api/v1/wechat-accounts/{id}/faq-rules/{rule_id}': {
    action: 'channel.write',
    build: async (ctx) => {
      const rules = await current(ctx.admin, `/api/v1/wechat-accounts/${ctx.fixtures.wechat.id}/faq-rules`);
      const rule = rules.items.find((r) => r.id === ctx.fixtures.rule.id);
      return {
        path: `/api/v1/wechat-accounts/${ctx.fixtures.wechat.id}/faq-rules/${rule.id}`,
        json: { version: rule.version, priority: Math.floor(Math.random() * 100) },
      };
    },
  },
  'DELETE /api/v1/wechat-accounts/{id}/faq-rules/{rule_id}': {
    action: 'channel.write',
    build: async (ctx) => {
      let rule = ctx.fixtures.rule;
      if (ctx.allowed) {
        rule = expectStatus(await ctx.admin.post(`/api/v1/wechat-accounts/${ctx.fixtures.wechat.id}/faq-rules`, {
          keywords: [unique('del')], reply_text: '将被删除',
        }), 201, 'fresh faq rule').json;
      }
      return { path: `/api/v1/wechat-accounts/${ctx.fixtures.wechat.id}/faq-rules/${rule.id}?version=${rule.version}` };
    },
  },

  // --- Open311 client keys (a client belongs to the unit of the account that created it) -------
  'GET /api/v1/open311-clients': {
    action: 'channel.write', targetless: true, build: () => ({ path: '/api/v1/open311-clients' }),
  },
  'POST /api/v1/open311-clients': {
    action: 'channel.write', targetless: true,
    build: () => ({ path: '/api/v1/open311-clients', json: { name: unique('矩阵应用'), contact: 'ops@example.org' } }),
  },
  'POST /api/v1/open311-clients/{id}/deactivate': {
    action: 'channel.write',
    build: async (ctx) => {
      const c = ctx.allowed ? await freshOpen311Client(ctx) : ctx.fixtures.open311;
      return { path: `/api/v1/open311-clients/${c.id}/deactivate`, json: { version: c.version } };
    },
  },
  'POST /api/v1/open311-clients/{id}/rotate': {
    action: 'channel.write',
    build: async (ctx) => {
      const c = ctx.allowed ? await freshOpen311Client(ctx) : ctx.fixtures.open311;
      return { path: `/api/v1/open311-clients/${c.id}/rotate`, json: { version: c.version } };
    },
  },
};

// A new appeal in `state` at the target unit.
function freshAppeal(ctx, state) {
  return appealAt(ctx.cityPr, { unitId: ctx.target.id, state, category: ctx.category, server: ctx.server });
}

async function freshTemplate(ctx) {
  return expectStatus(await ctx.cityPr.post('/api/v1/reply-templates', {
    unit_id: ctx.target.id, title: unique('模板'), text: '您好，已收到。',
  }), 201, 'fresh reply template').json;
}

async function freshOpen311Client(ctx) {
  return expectStatus(await ctx.fixtures.pr.post('/api/v1/open311-clients', { name: unique('矩阵应用') }),
    201, 'fresh open311 client').json;
}

// A plain-mode WeChat configuration of a channel account.
export function wechatAccountBody(channelAccountId) {
  return {
    channel_account_id: channelAccountId, name: '矩阵公众号', app_id: `wx${unique('').slice(0, 16)}`.replace(/[^A-Za-z0-9]/g, ''),
    token: 'matrixtoken', mode: 'plain', welcome_text: '欢迎关注',
  };
}

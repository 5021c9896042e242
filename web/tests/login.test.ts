import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import Login from '@/views/console/login/index.vue';
import { useAuthStore } from '@/store/modules/auth';
import { flush, mockFetch, plugins } from './setup';

afterEach(() => vi.unstubAllGlobals());

const routes = [
  { path: '/console/login', component: { template: '<div />' } },
  { path: '/console/:p(.*)*', component: { template: '<div>console</div>' } },
  { path: '/', component: { template: '<div />' } },
];

describe('sign-in form', () => {
  it('validates empty fields without calling the server', async () => {
    const fetch = mockFetch(() => ({ body: {} }));
    const { router, list } = plugins(routes);
    await router.push('/console/login');
    const wrapper = mount(Login, { global: { plugins: list, stubs: { transition: false, 'transition-group': false } }, attachTo: document.body });
    await wrapper.find('form').trigger('submit');
    await flush();
    // Both fields are marked invalid (the message itself sits in an animated transition).
    expect(wrapper.findAll('.el-form-item.is-error').length).toBe(2);
    expect(fetch).not.toHaveBeenCalled();
    wrapper.unmount();
  });

  it('shows the wrong-credentials message on 401 and keeps the input', async () => {
    mockFetch(() => ({ status: 401, body: { title: 'Unauthorized', status: 401 } }));
    const { router, list } = plugins(routes);
    await router.push('/console/login');
    const wrapper = mount(Login, { global: { plugins: list, stubs: { transition: false, 'transition-group': false } }, attachTo: document.body });
    await wrapper.find('input[name="username"]').setValue('admin');
    await flush();
    expect(wrapper.findAll('.el-form-item.is-error').length).toBe(0); // validated as typed
    await wrapper.find('input[name="password"]').setValue('wrong-password-1');
    await wrapper.find('form').trigger('submit');
    await flush(10);
    expect(wrapper.text()).toContain('用户名或密码错误');
    expect((wrapper.find('input[name="username"]').element as HTMLInputElement).value).toBe('admin');
    wrapper.unmount();
  });

  it('shows the wait time on 429', async () => {
    mockFetch(() => ({ status: 429, body: { title: 'Too Many Requests', status: 429 }, headers: { 'Retry-After': '900' } }));
    const { router, list } = plugins(routes);
    await router.push('/console/login');
    const wrapper = mount(Login, { global: { plugins: list, stubs: { transition: false, 'transition-group': false } }, attachTo: document.body });
    await wrapper.find('input[name="username"]').setValue('admin');
    await wrapper.find('input[name="password"]').setValue('whatever-password');
    await wrapper.find('form').trigger('submit');
    await flush(10);
    expect(wrapper.text()).toContain('15 分钟');
    wrapper.unmount();
  });

  it('signs in, keeps the CSRF token and goes back to the redirect target', async () => {
    const fetch = mockFetch(() => ({
      body: {
        account: { id: 1, username: 'admin', display_name: '管理员', unit: { id: 1, name: '重庆市公安局', path: '/1/' }, roles: ['system_admin'] },
        csrf_token: 'csrf-abc',
      },
    }));
    const { router, list } = plugins(routes);
    await router.push('/console/login?redirect=/console/org');
    const wrapper = mount(Login, { global: { plugins: list, stubs: { transition: false, 'transition-group': false } }, attachTo: document.body });
    await wrapper.find('input[name="username"]').setValue('admin');
    await wrapper.find('input[name="password"]').setValue('a-long-password-1');
    await wrapper.find('form').trigger('submit');
    await flush(10);
    expect(JSON.parse(fetch.mock.calls[0][1]!.body as string)).toEqual({ username: 'admin', password: 'a-long-password-1' });
    expect(useAuthStore().csrfToken).toBe('csrf-abc');
    expect(router.currentRoute.value.fullPath).toBe('/console/org');
    wrapper.unmount();
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import ChangePasswordDialog from '@/components/console/ChangePasswordDialog.vue';
import { flush, mockFetch, plugins, type Handler } from './setup';

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

const ME = {
  account: { id: 1, username: 'admin', display_name: '管理员', unit: { id: 1, name: '重庆市公安局', path: '/1/' }, roles: ['viewer'] },
  csrf_token: 'csrf-new',
};

/** The input names of the form items marked invalid. */
function erroredFields(): string[] {
  return [...document.querySelectorAll('.el-form-item.is-error input')].map((input) => input.getAttribute('name') ?? '');
}

function open(handler: Handler) {
  const fetch = mockFetch(handler);
  const { list } = plugins();
  const wrapper = mount(ChangePasswordDialog, {
    props: { modelValue: true },
    global: { plugins: list, stubs: { transition: false, 'transition-group': false } },
    attachTo: document.body,
  });
  const input = (name: string) => document.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
  const type = async (name: string, value: string) => {
    const element = input(name);
    element.value = value;
    element.dispatchEvent(new Event('input'));
    await flush();
  };
  const submit = async () => {
    document.querySelector<HTMLButtonElement>('[data-testid="password-save"]')!.click();
    await flush(10);
  };
  return { fetch, wrapper, type, submit };
}

describe('change my password', () => {
  it('checks the fields before calling the server', async () => {
    const { fetch, wrapper, type, submit } = open(() => ({ status: 204 }));
    await flush();
    await type('current-password', 'old-password-123');
    await type('new-password', 'short');
    await type('confirm-password', 'different');
    await submit();
    expect(fetch).not.toHaveBeenCalled();
    // New and confirm are marked (the messages themselves sit in an animated transition).
    expect(erroredFields()).toEqual(['new-password', 'confirm-password']);
    wrapper.unmount();
  });

  it('sends both passwords and says the other sessions were signed out', async () => {
    const { fetch, wrapper, type, submit } = open((url) => (url.pathname === '/api/v1/auth/me' ? { body: ME } : { status: 204 }));
    await flush();
    await type('current-password', 'old-password-123');
    await type('new-password', 'a-much-better-passphrase');
    await type('confirm-password', 'a-much-better-passphrase');
    await submit();
    const call = fetch.mock.calls.find(([url]) => String(url) === '/api/v1/auth/password');
    expect(call?.[1]?.method).toBe('POST');
    expect(JSON.parse(call?.[1]?.body as string)).toEqual({
      current_password: 'old-password-123',
      new_password: 'a-much-better-passphrase',
    });
    const done = document.querySelector('[data-testid="password-done"]');
    expect(done?.textContent).toContain('密码已修改');
    expect(done?.textContent).toContain('其他设备');
    expect(document.querySelector('input[name="new-password"]')).toBeNull();
    wrapper.unmount();
  });

  it('shows the policy message of a 422 in Chinese next to the field and keeps the input', async () => {
    const { wrapper, type, submit } = open(() => ({
      status: 422,
      body: {
        title: 'Unprocessable Content',
        status: 422,
        detail: 'Some fields are invalid.',
        errors: [{ field: 'new_password', message: 'Password is one of the most common passwords.' }],
      },
    }));
    await flush();
    await type('current-password', 'old-password-123');
    await type('new-password', 'password123456');
    await type('confirm-password', 'password123456');
    await submit();
    await flush(5);
    expect(document.querySelector('[data-testid="password-error"]')?.textContent).toContain('密码太常见');
    expect(erroredFields()).toEqual(['new-password']);
    expect(document.querySelector<HTMLInputElement>('input[name="new-password"]')?.value).toBe('password123456');
    expect(document.querySelector('[data-testid="password-done"]')).toBeNull();
    wrapper.unmount();
  });

  it('names a wrong current password', async () => {
    const { wrapper, type, submit } = open(() => ({
      status: 422,
      body: { status: 422, detail: 'Some fields are invalid.', errors: [{ field: 'current_password', message: 'The current password is wrong.' }] },
    }));
    await flush();
    await type('current-password', 'not-my-password');
    await type('new-password', 'a-much-better-passphrase');
    await type('confirm-password', 'a-much-better-passphrase');
    await submit();
    expect(document.querySelector('[data-testid="password-error"]')?.textContent).toContain('当前密码：当前密码不正确');
    wrapper.unmount();
  });
});

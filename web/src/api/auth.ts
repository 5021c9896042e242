// Staff sign-in, the current session and the user's own sessions.
import { http } from './http';
import type { SessionInfo, SignInResult } from './types';

export const login = (username: string, password: string) =>
  http.post<SignInResult>('/api/v1/auth/login', { username, password }, { noAuthRedirect: true });

export const logout = () => http.post<void>('/api/v1/auth/logout', undefined, { noAuthRedirect: true });

export const me = () => http.get<SignInResult>('/api/v1/auth/me', undefined, { noAuthRedirect: true });

export const listSessions = () => http.get<{ items: SessionInfo[] }>('/api/v1/auth/sessions');

export const revokeSession = (id: string | number) =>
  http.delete<void>(`/api/v1/auth/sessions/${encodeURIComponent(String(id))}`);

export const changePassword = (current_password: string, new_password: string) =>
  http.post<void>('/api/v1/auth/password', { current_password, new_password });

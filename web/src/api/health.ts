import { http } from './http';

export const getHealth = () => http.get<{ status: string }>('/healthz');

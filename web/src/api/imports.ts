// CSV imports: all-or-nothing; a 422 names each bad line and column in errors[].
import { http } from './http';
import type { ImportResult } from './types';

export type ImportKind = 'units' | 'officers';

export const importCsv = (kind: ImportKind, csv: string) =>
  http.post<ImportResult>(`/api/v1/import/${kind}`, undefined, { text: csv, contentType: 'text/csv' });

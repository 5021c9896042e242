// State of a paginated console list: filters live in the page; this keeps page, size, total,
// rows, loading and a readable error, and reloads on page or size changes.
import { ref, shallowRef, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Page } from '@/api/types';
import { describeError } from '@/utils/errors';

export const PAGE_SIZES = [10, 20, 50, 100];

export function useList<T>(fetcher: (page: number, pageSize: number) => Promise<Page<T>>) {
  const { t } = useI18n();
  const items = shallowRef<T[]>([]) as Ref<T[]>;
  const total = ref(0);
  const totalCapped = ref(false);
  const page = ref(1);
  const pageSize = ref(20);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let generation = 0;

  async function load(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    try {
      const result = await fetcher(page.value, pageSize.value);
      if (mine !== generation) return;
      items.value = result.items;
      total.value = result.total;
      totalCapped.value = result.total_capped === true;
    } catch (cause) {
      if (mine !== generation) return;
      error.value = describeError(cause, t);
      items.value = [];
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** Runs a new search from the first page. */
  function search(): Promise<void> {
    page.value = 1;
    return load();
  }

  function onPageChange(next: number): Promise<void> {
    page.value = next;
    return load();
  }

  function onSizeChange(next: number): Promise<void> {
    pageSize.value = next;
    page.value = 1;
    return load();
  }

  return { items, total, totalCapped, page, pageSize, loading, error, load, search, onPageChange, onSizeChange };
}

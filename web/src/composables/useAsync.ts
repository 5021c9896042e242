// Runs an async loader and exposes its data, loading flag and a readable error.
import { ref, shallowRef, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { describeError } from '@/utils/errors';

export function useAsync<T>(loader: () => Promise<T>) {
  const { t } = useI18n();
  const data = shallowRef<T | null>(null) as Ref<T | null>;
  const loading = ref(false);
  const error = ref<string | null>(null);
  let generation = 0;

  async function run(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    try {
      const value = await loader();
      if (mine === generation) data.value = value;
    } catch (cause) {
      if (mine === generation) error.value = describeError(cause, t);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  return { data, loading, error, run };
}

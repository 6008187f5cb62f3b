import { useCallback, useEffect, useRef, useState } from 'react';

export interface FetchState<T> {
  data: T | undefined;
  loading: boolean;
  error: unknown;
  reload(): void;
}

/**
 * Load data for a page and load it again whenever `key` changes (pass the
 * serialised query). Answers to superseded requests are dropped.
 */
export function useFetch<T>(load: (signal: AbortSignal) => Promise<T>, key: string): FetchState<T> {
  const [data, setData] = useState<T>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  const loader = useRef(load);
  loader.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` and `version` are the triggers; the loader is read from a ref.
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    loader.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [key, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, loading, error, reload };
}

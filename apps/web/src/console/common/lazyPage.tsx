import { Spin } from 'antd';
import { type ComponentType, lazy } from 'react';

/**
 * A console page loaded on first visit, so the console's first screen does not download every
 * page (and their libraries: maps, charts, forms) up front. `name` is the page's named export.
 */
export function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}

/** What shows in the content area while a page's code arrives. */
export function PageLoading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
}

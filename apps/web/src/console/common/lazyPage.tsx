import { Spin } from 'antd';
import { type ComponentType, lazy, useEffect, useState } from 'react';

/** A console page whose code comes on first visit; `preload()` fetches it ahead of the visit. */
export type LazyPage = ComponentType & { preload(): Promise<void> };

/**
 * A console page loaded on first visit, so the console's first screen does not download every
 * page (and their libraries: maps, charts, forms) up front. `name` is the page's named export.
 *
 * A page whose code is already here, or on its way after `preload()`, is not drawn through
 * React.lazy: lazy suspends, and React shows a suspended boundary's content no sooner than
 * ~300 ms after its fallback, which the first screen would wait for. Such a page shows the
 * loading spinner itself and is drawn the moment its code is in.
 */
export function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K): LazyPage {
  let loaded: ComponentType | undefined;
  let preloading: Promise<unknown> | undefined;
  const fetchPage = () =>
    load().then((m) => {
      loaded = m[name];
      return m[name];
    });
  const Lazy = lazy<ComponentType>(() => fetchPage().then((page) => ({ default: page })));
  // biome-ignore lint/correctness/noComponentHookFactories: called once per page at module level, as React.lazy is.
  function Page() {
    // The way it is drawn is chosen once its code is in, never switched after: that would remount it.
    const [ready, setReady] = useState(() => loaded);
    const [waiting, setWaiting] = useState(() => !loaded && preloading !== undefined);
    useEffect(() => {
      if (!waiting || !preloading) return;
      let live = true;
      void preloading.then(() => {
        if (!live) return;
        if (loaded) setReady(() => loaded);
        setWaiting(false);
      });
      return () => {
        live = false;
      };
    }, [waiting]);
    if (ready) {
      const Shown = ready as ComponentType;
      return <Shown />;
    }
    if (waiting) return <PageLoading />;
    return <Lazy />;
  }
  return Object.assign(Page, {
    preload: () => {
      preloading ??= fetchPage().catch(() => {
        // A failed preload: the page loads through React.lazy when drawn, which tries again.
        preloading = undefined;
      });
      return preloading.then(() => undefined);
    },
  });
}

/** What shows in the content area while a page's code arrives. */
export function PageLoading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
}

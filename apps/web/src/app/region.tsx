import type { RegionNode } from '@zhiyang/shared';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { regionsApi } from '../api/regions.ts';
import { useAuth } from './auth.tsx';

interface RegionContextValue {
  /** The region tree the server allows this user to see (empty without `region:read`). */
  tree: RegionNode[];
  loading: boolean;
  reload(): Promise<void>;
  /** The region chosen in the header; null means the user's whole scope. List pages filter by it. */
  selected: string | null;
  setSelected(code: string | null): void;
  nameOf(code: string | null | undefined): string | undefined;
  find(code: string | null | undefined): RegionNode | undefined;
}

const RegionContext = createContext<RegionContextValue | null>(null);

function storageKey(userId: string) {
  return `zhiyang.region.${userId}`;
}

function indexTree(nodes: RegionNode[], into = new Map<string, RegionNode>()): Map<string, RegionNode> {
  for (const node of nodes) {
    into.set(node.code, node);
    indexTree(node.children ?? [], into);
  }
  return into;
}

export function RegionProvider({ children }: { children: ReactNode }) {
  const { me, can } = useAuth();
  const userId = me?.id ?? '';
  const mayRead = can('region:read');
  const [tree, setTree] = useState<RegionNode[]>([]);
  const [loading, setLoading] = useState(mayRead);
  const [selected, setSelectedState] = useState<string | null>(() => localStorage.getItem(storageKey(userId)));

  const reload = useCallback(async () => {
    if (!mayRead) return;
    setLoading(true);
    try {
      const res = await regionsApi.regionTree();
      setTree(res.items);
    } catch {
      setTree([]);
    } finally {
      setLoading(false);
    }
  }, [mayRead]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const index = useMemo(() => indexTree(tree), [tree]);

  const setSelected = useCallback(
    (code: string | null) => {
      setSelectedState(code);
      if (code) localStorage.setItem(storageKey(userId), code);
      else localStorage.removeItem(storageKey(userId));
    },
    [userId],
  );

  // A remembered region that is no longer in scope (deleted, or the user moved) is forgotten.
  useEffect(() => {
    if (!loading && selected && !index.has(selected)) setSelected(null);
  }, [loading, selected, index, setSelected]);

  const value = useMemo<RegionContextValue>(
    () => ({
      tree,
      loading,
      reload,
      selected: selected && index.has(selected) ? selected : null,
      setSelected,
      nameOf: (code) => (code ? index.get(code)?.name : undefined),
      find: (code) => (code ? index.get(code) : undefined),
    }),
    [tree, loading, reload, selected, index, setSelected],
  );

  return <RegionContext.Provider value={value}>{children}</RegionContext.Provider>;
}

export function useRegions(): RegionContextValue {
  const value = useContext(RegionContext);
  if (!value) throw new Error('useRegions() outside <RegionProvider>');
  return value;
}

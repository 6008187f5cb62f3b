import type { CallCategory } from '@zhiyang/shared';
import { useMemo } from 'react';
import { callsApi } from '../../api/calls.ts';
import { useFetch } from '../../app/useFetch.ts';

/** The call categories (来电分类) as a tree, with every code's Chinese name. */
export function useCallCategories() {
  const list = useFetch((signal) => callsApi.listCallCategories({ signal }), 'call-categories');
  return useMemo(() => {
    const items: CallCategory[] = list.data?.items ?? [];
    const names = new Map<string, string>();
    const byCode = new Map<string, CallCategory | CallCategory['children'][number]>();
    for (const c of items) {
      names.set(c.code, c.name);
      byCode.set(c.code, c);
      for (const s of c.children) {
        names.set(s.code, s.name);
        byCode.set(s.code, s);
      }
    }
    return { items, names, byCode, loading: list.loading };
  }, [list.data, list.loading]);
}

export interface CategoryNode {
  title: string;
  value: string;
  children: CategoryNode[];
}

/** The categories for a TreeSelect: Chinese names, codes as values. */
export function categoryTreeData(items: CallCategory[]): CategoryNode[] {
  return items
    .filter((c) => c.active)
    .map((c) => ({
      title: c.name,
      value: c.code,
      children: c.children.filter((s) => s.active).map((s) => ({ title: s.name, value: s.code, children: [] })),
    }));
}

import type { RegionNode } from '@zhiyang/shared';
import { Form, type FormInstance } from 'antd';
import { useEffect, useMemo } from 'react';
import { useRegions } from '../../app/region.tsx';

function communities(nodes: RegionNode[], into: string[] = []): string[] {
  for (const n of nodes) {
    if (n.level === 'community') into.push(n.code);
    communities(n.children ?? [], into);
  }
  return into;
}

/** The one community this user can choose, when their scope holds exactly one (community staff); else null. */
export function useOnlyCommunity(): string | null {
  const { tree } = useRegions();
  return useMemo(() => {
    const all = communities(tree);
    return all.length === 1 ? all[0] : null;
  }, [tree]);
}

/**
 * Fills a form's community field with the user's only community once the region tree is known,
 * unless the field already holds a value (an edited record, or the user's own choice).
 */
export function usePrefillOnlyCommunity<T>(form: FormInstance<T>, field: string, enabled = true) {
  const only = useOnlyCommunity();
  const current = Form.useWatch(field as never, form as FormInstance) as string | undefined;
  useEffect(() => {
    if (enabled && only && !current) form.setFieldValue(field as never, only as never);
  }, [enabled, only, current, form, field]);
}

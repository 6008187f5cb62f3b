import { Select } from 'antd';
import { useState } from 'react';
import { institutionsApi } from '../../api/institutions.ts';
import { useMe } from '../../app/auth.tsx';
import { useFetch } from '../../app/useFetch.ts';

/**
 * The institution a page shows: an institution's staff their own; the bureau picks one of the
 * institutions in reach (the picker is returned to be placed in the page's header).
 */
export function useInstitution() {
  const me = useMe();
  const list = useFetch((signal) => institutionsApi.listInstitutions({ signal }), me.orgId ? 'own' : 'all');
  const [picked, setPicked] = useState<string>();
  const items = list.data?.items ?? [];
  const id = me.orgId ?? picked ?? items[0]?.orgId;
  const current = items.find((i) => i.orgId === id);
  const picker = me.orgId ? null : (
    <Select
      style={{ minWidth: 200 }}
      value={id}
      onChange={setPicked}
      options={items.map((i) => ({ value: i.orgId, label: i.name }))}
    />
  );
  return { id, name: current?.name, picker, loading: list.loading };
}

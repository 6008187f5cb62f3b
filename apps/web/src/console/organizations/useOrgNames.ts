import type { ListOf, Organization, OrgType } from '@zhiyang/shared';
import { useMemo } from 'react';
import { organizationsApi } from '../../api/organizations.ts';
import { useAuth } from '../../app/auth.tsx';
import { useFetch } from '../../app/useFetch.ts';

/**
 * The organisations this user may see (first 200), for pickers and for naming
 * `orgId` columns. Pass `version` to load them again after a change.
 */
export function useOrgNames(version = 0) {
  const { can } = useAuth();
  const mayRead = can('org:read');
  const { data, loading } = useFetch(
    (signal) =>
      mayRead
        ? organizationsApi.listOrgs({ query: { limit: 200 }, signal })
        : Promise.resolve<ListOf<Organization>>({ items: [], total: 0 }),
    `${mayRead}:${version}`,
  );
  return useMemo(() => {
    const orgs = data?.items ?? [];
    const byId = new Map(orgs.map((o) => [o.id, o]));
    return {
      orgs,
      loading,
      nameOf: (id: string | null | undefined) => (id ? byId.get(id)?.name : undefined),
      options: (types?: readonly OrgType[]) =>
        orgs.filter((o) => !types || types.includes(o.type)).map((o) => ({ value: o.id, label: o.name })),
    };
  }, [data, loading]);
}

import type { careVisitsContract, ResponseOf } from '@zhiyang/shared';
import { useAuth } from '../../app/auth.tsx';
import { useRegions } from '../../app/region.tsx';

export type Member = ResponseOf<typeof careVisitsContract.listMembers>['items'][number];
export type Visit = ResponseOf<typeof careVisitsContract.listVisits>['items'][number];
export type VisitDetail = ResponseOf<typeof careVisitsContract.getVisit>;
export type FollowUp = ResponseOf<typeof careVisitsContract.listFollowUps>['items'][number];

/** The region the header chose (null: the user's whole reach) and the district it lies in. */
export function useCareScope() {
  const { me } = useAuth();
  const { selected, tree } = useRegions();
  const district = (selected ?? me?.regionCode ?? tree[0]?.code ?? '').slice(0, 6);
  const may = (a: string) => Boolean(me?.permissions.includes(a as never));
  return { regionCode: selected ?? undefined, district, may, me };
}

export const riskColor = (r: string | null) => (r === 'high' ? 'red' : r === 'medium' ? 'orange' : 'green');

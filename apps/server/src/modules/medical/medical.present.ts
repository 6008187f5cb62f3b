import type {
  ContractPackage,
  DoctorContract,
  DoctorTeam,
  HomeBedEpisode,
  MedicalVisit,
  Referral,
  TeamMemberRole,
} from '@zhiyang/shared';
import type { FieldCipher } from '../../lib/crypto.ts';
import { openElderPrivate } from '../elders/elders.private.ts';
import type { BillingRow, EpisodeRow, PartnershipRow, ReferralRow, VisitRow } from './care.repo.ts';
import type { ContractRow, MemberRow, OrgRow, TeamRow } from './medical.repo.ts';
import { openEpisodeHealth, openReferralHealth, openVisitHealth } from './medical.sealed.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const presentOrg = (r: OrgRow) => ({
  id: r.id,
  name: r.name,
  kind: r.kind as 'community_health_centre',
  regionCode: r.region_code,
  regionName: r.region_name,
  licenceNo: r.licence_no,
  address: r.address,
  phone: r.phone,
  status: r.status as 'active' | 'closed',
  teams: r.teams,
});

export const presentTeam = (t: TeamRow, members: MemberRow[]): DoctorTeam => ({
  id: t.id,
  orgId: t.org_id,
  orgName: t.org_name,
  name: t.name,
  regionCode: t.region_code,
  communities: t.communities.map((code, i) => ({ code, name: t.community_names[i] ?? null })),
  status: t.status as 'active' | 'disbanded',
  members: members
    .filter((m) => m.team_id === t.id)
    .map((m) => ({
      id: m.id,
      teamId: m.team_id,
      userId: m.user_id,
      username: m.username,
      name: m.name,
      role: m.role as TeamMemberRole,
      licenceNo: m.licence_no,
      isLeader: m.is_leader,
      active: m.active,
    })),
  activeContracts: t.active_contracts,
});

export const presentContract = (r: ContractRow): DoctorContract => ({
  id: r.id,
  elderId: r.elder_id,
  elderName: r.elder_name,
  elderAge: r.elder_age,
  regionCode: r.region_code,
  regionName: r.region_name,
  teamId: r.team_id,
  teamName: r.team_name,
  orgName: r.org_name,
  package: r.package as ContractPackage,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  status: r.status as 'active',
  previousId: r.previous_id,
  signedAt: iso(r.signed_at) as string,
  endReason: r.end_reason,
});

/** A visit; the address only for the team (and region staff), never to person accounts' lists of others. */
export const presentVisit = (cipher: FieldCipher, r: VisitRow): MedicalVisit => ({
  id: r.id,
  elderId: r.elder_id,
  elderName: r.elder_name,
  elderAge: r.elder_age,
  address: openElderPrivate(cipher, r.elder_private).address,
  regionCode: r.region_code,
  regionName: r.region_name,
  teamId: r.team_id,
  teamName: r.team_name,
  source: r.source as 'elder',
  referralId: r.referral_id,
  episodeId: r.episode_id,
  reason: openVisitHealth(cipher, r.box).reason,
  status: r.status as 'requested',
  scheduledOn: r.scheduled_on,
  memberId: r.member_id,
  memberName: r.member_name,
  visitedAt: iso(r.visited_at),
  checkInMethod: r.check_in_method,
  checkInDistanceM: r.check_in_distance_m,
  createdAt: iso(r.created_at) as string,
});

export const presentBilling = (b: BillingRow) => ({
  id: b.id,
  visitId: b.visit_id,
  itemCode: b.item_code,
  itemName: b.item_name,
  quantity: b.quantity,
  amountFen: b.amount_fen,
  serviceOn: b.service_on,
  status: 'recorded' as const,
});

export const presentVisitDetail = (cipher: FieldCipher, r: VisitRow, billing: BillingRow[]) => {
  const health = openElderPrivate(cipher, r.elder_private);
  const visit = openVisitHealth(cipher, r.box);
  return {
    ...presentVisit(cipher, r),
    findings: visit.findings,
    advice: visit.advice,
    vitals: visit.vitals,
    billing: billing.map(presentBilling),
    chronicConditions: health.chronicConditions,
    allergies: health.allergies,
  };
};

export const presentEpisode = (cipher: FieldCipher, r: EpisodeRow): HomeBedEpisode => {
  const health = openEpisodeHealth(cipher, r.box);
  return {
    id: r.id,
    elderId: r.elder_id,
    elderName: r.elder_name,
    elderAge: r.elder_age,
    regionCode: r.region_code,
    regionName: r.region_name,
    teamId: r.team_id,
    teamName: r.team_name,
    status: r.status,
    diagnosis: health.diagnosis,
    admittedOn: r.admitted_on,
    visitsPerWeek: r.visits_per_week,
    planItems: r.plan_items,
    visitsDone: r.visits_done,
    billedFen: r.billed_fen,
    dischargedOn: r.discharged_on,
    dischargeSummary: health.dischargeSummary,
  };
};

export const presentPartnership = (p: PartnershipRow) => ({
  id: p.id,
  orgId: p.org_id,
  orgName: p.org_name,
  orgType: p.org_type,
  medicalOrgId: p.medical_org_id,
  medicalOrgName: p.medical_org_name,
  regionCode: p.region_code,
  agreementNo: p.agreement_no,
  startsOn: p.starts_on,
  endsOn: p.ends_on,
  greenChannel: p.green_channel,
  services: p.services,
  status: p.status,
});

export const presentReferral = (cipher: FieldCipher, r: ReferralRow): Referral => {
  const health = openReferralHealth(cipher, r.box, r.note);
  return {
    id: r.id,
    elderId: r.elder_id,
    elderName: r.elder_name,
    regionCode: r.region_code,
    regionName: r.region_name,
    source: r.source as 'care_staff',
    fromOrgName: r.from_org_name,
    medicalOrgId: r.medical_org_id,
    medicalOrgName: r.medical_org_name,
    teamId: r.team_id,
    teamName: r.team_name,
    reason: health.reason,
    urgency: r.urgency,
    greenChannel: r.green_channel,
    status: r.status as 'pending',
    followUpId: r.follow_up_id,
    note: health.note,
    createdAt: iso(r.created_at) as string,
    updatedAt: iso(r.updated_at) as string,
  };
};

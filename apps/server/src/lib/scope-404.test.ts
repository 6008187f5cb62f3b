import { ASSESSMENT_ITEMS, ROLE_PERMISSIONS, type Role } from '@zhiyang/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alarmDispatches, notifications } from '../modules/alarms/alarms.schema.ts';
import { raiseAlarm } from '../modules/alarms/raise.service.ts';
import { allowanceApplications, allowanceRolls } from '../modules/allowances/allowances.schema.ts';
import { allowanceSurvivalChallenges, allowanceVisitTasks } from '../modules/allowances/survival.schema.ts';
import { callAgents, callHotlines, callQueues, calls, kbArticles } from '../modules/calls/calls.schema.ts';
import { careCallCampaigns, careCallTasks, careVisitTasks } from '../modules/campaigns/campaigns.schema.ts';
import { careFollowUps, careVisitFindings, careVisits } from '../modules/care-visits/care-visits.schema.ts';
import { elderImports } from '../modules/elders/elders.schema.ts';
import { familyBedSuspensions, familyBeds } from '../modules/family-beds/family-beds.schema.ts';
import { ltcScopeFixtures } from '../modules/health-records/health-records.testing.ts';
import {
  inspectionFindings,
  inspectionRounds,
  inspections,
  inspectionTemplates,
} from '../modules/inspections/inspections.schema.ts';
import {
  admissions,
  beds,
  institutionBuildings,
  institutionFloors,
  institutionRooms,
} from '../modules/institutions/institutions.schema.ts';
import { canteenDishes, canteenSettlements, mealDeliveries, mealSignals, meals } from '../modules/meals/meals.schema.ts';
import {
  doctorContracts,
  doctorTeamMembers,
  doctorTeams,
  homeBedEpisodes,
  medicalOrgs,
  medicalPartnerships,
  medicalReferrals,
  medicalVisits,
} from '../modules/medical/medical.schema.ts';
import { sealEpisodeHealth, sealReferralHealth, sealVisitReason } from '../modules/medical/medical.sealed.ts';
import { serviceComplaints } from '../modules/orders/orders.schema.ts';
import { patrolCheckpoints, patrolHazards, patrolRoutes, patrolRuns } from '../modules/patrols/patrols.schema.ts';
import { privilegeCards } from '../modules/privilege-cards/privilege-cards.schema.ts';
import { riskTasks } from '../modules/risk-radar/risk-radar.schema.ts';
import { neighbourhoodPoints, volunteers, volunteerTasks } from '../modules/volunteers/volunteers.schema.ts';
import { addContact, createElder } from '../testing/elders.ts';
import { clientAs, createAccount, createOrg, seedTree, TREE } from '../testing/factories.ts';
import { createDevice } from '../testing/safety.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { createServiceProvider, hoursFromNow, itemByCode } from '../testing/service.ts';
import type { DeclaredRoute } from './auth.ts';

/**
 * For every route with an id in its path, of every module, an id that EXISTS but lies outside the
 * caller's reach (another street's elder, order, device, alarm …, another provider, another
 * user's notice) answers 404 — never the record, never a 403 that confirms it exists.
 * The routes come from the app's route table; a new `/:id` route without a mapping below fails.
 */

/** What each path parameter names, by the path it appears in (first match wins). */
const PARAM_KINDS: Array<[RegExp, Record<string, Kind>]> = [
  [/^\/regions\/:code/, { code: 'region' }],
  [/^\/device-health\/:regionCode/, { regionCode: 'region' }],
  [/^\/organizations\/:id/, { id: 'org' }],
  [/^\/users\/:id/, { id: 'user' }],
  [/^\/elders\/imports\/:id/, { id: 'elderImport' }],
  [/^\/elders\/:id\/contacts\/:contactId/, { id: 'elder', contactId: 'contact' }],
  [/^\/elders\/:id/, { id: 'elder' }],
  [/^\/assessments\/:id/, { id: 'assessment' }],
  [/^\/providers\/:id\/staff\/:userId/, { id: 'provider', userId: 'worker' }],
  [/^\/providers\/:id/, { id: 'provider' }],
  [/^\/credit\/organizations\/:id/, { id: 'provider' }],
  [/^\/policies\/:id/, { id: 'policy' }],
  [/^\/wallets\/:elderId/, { elderId: 'elder' }],
  [/^\/service-notices\/:id/, { id: 'notice' }],
  [/^\/service-orders\/qr\/:elderId/, { elderId: 'elder' }],
  [/^\/service-orders\/:id\/photos\/:photoId/, { id: 'order', photoId: 'photo' }],
  [/^\/service-orders\/:id/, { id: 'order' }],
  [/^\/service-complaints\/:id/, { id: 'complaint' }],
  [/^\/settlements\/:id/, { id: 'settlement' }],
  [/^\/devices\/:id/, { id: 'device' }],
  [/^\/alarms\/:id/, { id: 'alarm' }],
  [/^\/safety-rules\/:elderId/, { elderId: 'elder' }],
  [/^\/alarm-dispatches\/:id\/:status/, { id: 'dispatch', status: 'dispatchStatus' }],
  [/^\/family\/elders\/:elderId/, { elderId: 'elder' }],
  [/^\/family\/notices\/:id/, { id: 'notice' }],
  [/^\/care-call-campaigns\/:id/, { id: 'careCampaign' }],
  [/^\/care-call-tasks\/:id/, { id: 'careCallTask' }],
  [/^\/care-visit-tasks\/:id/, { id: 'careVisit' }],
  [/^\/calls\/:id\/recordings\/:part/, { id: 'call', part: 'recordingPart' }],
  [/^\/calls\/:id/, { id: 'call' }],
  [/^\/kb\/articles\/:id/, { id: 'kbArticle' }],
  [/^\/call-agents\/:userId/, { userId: 'callAgent' }],
  [/^\/call-hotlines\/:id/, { id: 'hotline' }],
  [/^\/call-queues\/:id/, { id: 'callQueue' }],
  // A scan is reached only through its application: the out-of-reach application answers first.
  [/^\/allowance-applications\/:id\/documents\/:docId/, { id: 'allowanceApplication', docId: 'allowanceApplication' }],
  [/^\/allowance-applications\/:id/, { id: 'allowanceApplication' }],
  [/^\/allowance-rolls\/:id/, { id: 'allowanceRoll' }],
  // A challenge is answered only by the account that started it; a visit task is in its elder's reach.
  [/^\/allowance-survival-challenges\/:id/, { id: 'survivalChallenge' }],
  [/^\/allowance-visit-tasks\/:id/, { id: 'visitTask' }],
  [/^\/privilege-cards\/:id/, { id: 'privilegeCard' }],
  [/^\/care-groups\/:elderId/, { elderId: 'elder' }],
  [/^\/care-households\/:elderId/, { elderId: 'elder' }],
  [/^\/care-visit-plans\/:elderId/, { elderId: 'elder' }],
  [/^\/care-visits\/:id/, { id: 'careRound' }],
  [/^\/care-follow-ups\/:id/, { id: 'careFollowUp' }],
  [/^\/canteens\/:id\/dishes\/:dishId/, { id: 'canteen', dishId: 'dish' }],
  [/^\/canteens\/:id\/menus\/:day\/:period/, { id: 'canteen', day: 'menuDay', period: 'mealPeriod' }],
  [/^\/canteens\/:id/, { id: 'canteen' }],
  [/^\/meals\/:id/, { id: 'meal' }],
  [/^\/canteen-settlements\/:id/, { id: 'canteenSettlement' }],
  [/^\/meal-deliveries\/:id/, { id: 'mealDelivery' }],
  [/^\/meal-signals\/:id/, { id: 'mealSignal' }],
  [/^\/meal-subsidy-rules\/:policyId/, { policyId: 'policy' }],
  [/^\/institutions\/:id/, { id: 'institution' }],
  [/^\/beds\/:id\/devices\/:deviceId/, { id: 'bed', deviceId: 'device' }],
  [/^\/beds\/:id/, { id: 'bed' }],
  [/^\/admissions\/:id/, { id: 'admission' }],
  [/^\/family-beds\/:id\/devices\/:deviceId/, { id: 'familyBed', deviceId: 'device' }],
  [/^\/family-beds\/:id\/months\/:month/, { id: 'familyBed', month: 'bedMonth' }],
  [/^\/family-beds\/:id\/suspensions\/:suspensionId/, { id: 'familyBed', suspensionId: 'bedSuspension' }],
  [/^\/family-beds\/:id/, { id: 'familyBed' }],
  [/^\/medical-orgs\/:id/, { id: 'medicalOrg' }],
  [/^\/doctor-teams\/:id/, { id: 'doctorTeam' }],
  [/^\/doctor-team-members\/:id/, { id: 'teamMember' }],
  [/^\/doctor-contracts\/:id/, { id: 'doctorContract' }],
  [/^\/medical-visits\/:id/, { id: 'medicalVisit' }],
  [/^\/home-bed-criteria\/check\/:elderId/, { elderId: 'elder' }],
  [/^\/home-bed-episodes\/:id/, { id: 'homeBed' }],
  [/^\/medical-partnerships\/:id/, { id: 'partnership' }],
  [/^\/medical-referrals\/:id/, { id: 'referral' }],
  [/^\/risk-radar\/elders\/:id/, { id: 'elder' }],
  [/^\/risk-tasks\/:id/, { id: 'riskTask' }],
  [/^\/patrol-runs\/:id/, { id: 'patrolRun' }],
  [/^\/patrol-hazards\/:id/, { id: 'patrolHazard' }],
  [/^\/ltc-policies\/:id/, { id: 'ltcPolicy' }],
  [/^\/ltc-claims\/:id/, { id: 'ltcClaim' }],
  [/^\/inspections\/:id/, { id: 'inspection' }],
  [/^\/inspection-findings\/:id/, { id: 'inspectionFinding' }],
  [/^\/org-grades\/:id/, { id: 'institution' }],
  [/^\/volunteers\/:id/, { id: 'volunteer' }],
  [/^\/volunteer-tasks\/:id/, { id: 'volunteerTask' }],
  [/^\/served-volunteer-tasks\/:id/, { id: 'volunteerTask' }],
  // A volunteer's own task: another volunteer's answers 404.
  [/^\/volunteer\/tasks\/:id/, { id: 'volunteerTask' }],
  // A volunteer's own care visit: one not assigned to (nor recorded by) them answers 404.
  [/^\/volunteer\/care-visits\/:id/, { id: 'careRound' }],
  [/^\/neighbourhood-points\/:id/, { id: 'neighbourhoodPoint' }],
];

/** Routes with an id that are not scoped, and why. */
const NOT_SCOPED: Record<string, string> = {
  'PATCH /service-items/:id': 'the service catalogue is one list for the whole district',
  'POST /devices/:deviceId/events': 'device intake: the device proves itself with its secret, not a session',
  'PUT /call-categories/:code': 'the call categories are one list for the whole district',
  'GET /verify/card/:token': 'public 优待证 verification: the signed token is the key; it shows a masked name only',
};

type Kind =
  | 'region'
  | 'org'
  | 'user'
  | 'elderImport'
  | 'elder'
  | 'contact'
  | 'assessment'
  | 'provider'
  | 'worker'
  | 'policy'
  | 'notice'
  | 'order'
  | 'photo'
  | 'complaint'
  | 'settlement'
  | 'device'
  | 'alarm'
  | 'dispatch'
  | 'careCampaign'
  | 'careCallTask'
  | 'careVisit'
  | 'dispatchStatus'
  | 'recordingPart'
  | 'callAgent'
  | 'hotline'
  | 'callQueue'
  | 'call'
  | 'kbArticle'
  | 'allowanceApplication'
  | 'allowanceRoll'
  | 'survivalChallenge'
  | 'visitTask'
  | 'privilegeCard'
  | 'careRound'
  | 'careFollowUp'
  | 'canteen'
  | 'dish'
  | 'menuDay'
  | 'mealPeriod'
  | 'meal'
  | 'institution'
  | 'bed'
  | 'admission'
  | 'canteenSettlement'
  | 'mealSignal'
  | 'mealDelivery'
  | 'patrolRun'
  | 'patrolHazard'
  | 'ltcPolicy'
  | 'ltcClaim'
  | 'riskTask'
  | 'medicalOrg'
  | 'doctorTeam'
  | 'teamMember'
  | 'doctorContract'
  | 'medicalVisit'
  | 'homeBed'
  | 'partnership'
  | 'referral'
  | 'familyBed'
  | 'bedMonth'
  | 'bedSuspension'
  | 'inspection'
  | 'inspectionFinding'
  | 'volunteer'
  | 'volunteerTask'
  | 'neighbourhoodPoint';

/** Bodies that pass validation, so the scope check (not the schema) answers. */
const UUID = '00000000-0000-4000-8000-000000000002';
const BODIES: Record<string, unknown> = {
  'POST /elders/:id/health/medications': { name: '降压药' },
  'POST /ltc-policies/:id/enrolments': { elderId: UUID },
  'POST /ltc-policies/:id/fundings': { orderId: UUID },
  'POST /elders/:id/status': { status: 'in_hospital' },
  'PUT /regions/:code/boundary': {
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [104, 30],
          [104.01, 30],
          [104.01, 30.01],
          [104, 30],
        ],
      ],
    },
  },
  'POST /elders/:id/reveal': { fields: ['phone'], reason: '核对' },
  'POST /elders/:id/contacts': { name: '某人', relationship: 'child', phone: '13900000009' },
  'PUT /elders/:id/contacts/order': { ids: [UUID] },
  'POST /providers/:id/reject': { reason: '材料不全' },
  'POST /providers/:id/suspend': { reason: '投诉' },
  'PUT /providers/:id/dishonesty': { dishonest: true, reason: '失信' },
  'POST /credit/organizations/:id/events': { kind: 'commitment', occurredOn: '2026-01-05', title: '信用承诺' },
  'POST /credit/organizations/:id/listing': { reason: '失信行为' },
  'POST /credit/organizations/:id/listing/remove': { reason: '整改完成' },
  'POST /credit/organizations/:id/appeal/decision': { upheld: true, decision: '申诉成立' },
  'PUT /providers/:id/areas': { regionCodes: [TREE.communityA1] },
  'POST /providers/:id/sites': { name: '站点', regionCode: TREE.communityA1, lat: 30.6, lng: 104 },
  'POST /providers/:id/licences': { kind: 'business', number: 'X1', validUntil: '2030-01-01' },
  'POST /allowance-applications/:id/confirm': { bankName: '银行', bankAccount: '6222000011112222', accountHolder: '本人' },
  'POST /allowance-applications/:id/decisions': { decision: 'approve' },
  'POST /allowance-applications/:id/objections': { content: '异议' },
  'POST /allowance-applications/:id/suspend': { reason: 'manual', note: '暂停' },
  'POST /allowance-applications/:id/resume': { note: '恢复' },
  'PUT /allowance-applications/:id/bank-account': { bankName: '银行', bankAccount: '6222000011112222', accountHolder: '本人' },
  'POST /allowance-applications/:id/recovery/repayments': { amountFen: 100, paidOn: '2026-01-05' },
  'POST /allowance-applications/:id/verifications': { month: '2026-01', method: 'in_person', result: 'passed' },
  'POST /allowance-survival-challenges/:id/answer': { nonce: 'n'.repeat(24), frames: Array(6).fill(`/9j/${'A'.repeat(40)}`) },
  'POST /allowance-visit-tasks/:id/done': { note: '已上门' },
  'PUT /providers/:id/offerings': { items: [] },
  'POST /providers/:id/staff': { username: 'scope-staff', name: '员工' },
  'POST /wallets/:elderId/adjustments': { currency: 'points', direction: 'credit', amount: 10, reason: '测试' },
  'POST /service-orders/:id/dispatch': { providerId: UUID, reason: '人工派单' },
  'POST /service-orders/:id/reject': { reason: '没空' },
  'POST /service-orders/:id/assign': { workerId: UUID },
  'POST /service-orders/:id/check-out': { record: '完成' },
  'PATCH /service-orders/:id/visit': { record: '完成' },
  'POST /service-orders/:id/cancel': { reason: '不要了' },
  'POST /service-orders/:id/rate': { score: 5 },
  'POST /service-orders/:id/review': { decision: 'clear', note: '核对无误' },
  'POST /service-complaints/:id/follow-up': { note: '已回访' },
  'POST /devices/:id/commands': { command: 'locate' },
  'POST /alarms/:id/actions': { kind: 'note' },
  'POST /alarms/:id/dispatch': { responderId: UUID },
  'POST /alarms/:id/resolve': { outcome: 'false_alarm' },
  'PUT /elders/:id/care-call-opt-out': { optOut: true, reason: '本人不需要' },
  'POST /care-call-tasks/:id/results': { result: 'no_answer' },
  'PATCH /calls/:id': { notes: '备注' },
  'PUT /elders/:id/face': {
    consent: { signedBy: '本人', signedAt: '2026-01-01T09:00:00+08:00', documentRef: 'SCOPE-1' },
    photos: ['aGVsbG8gd29ybGQgaGVsbG8=', 'aGVsbG8gd29ybGQgaGVsbG8=', 'aGVsbG8gd29ybGQgaGVsbG8='],
  },
  'POST /calls/:id/alarm': { priority: 'P2' },
  'POST /calls/:id/complaint': { reason: '服务不好' },
  'POST /calls/:id/article': { articleId: UUID },
  'POST /calls/:id/transfer': { toUserId: UUID },
  'PATCH /kb/articles/:id': { title: '新标题' },
  'POST /call-hotlines/:id/queues': { name: '综合' },
  'POST /canteens/:id/dishes': { name: '米饭', category: 'staple', priceFen: 100 },
  'PATCH /canteens/:id/dishes/:dishId': { priceFen: 100 },
  'PUT /canteens/:id/menus/:day/:period': { items: [] },
  'POST /canteens/:id/meals': { elderId: UUID, items: [{ dishId: UUID }] },
  'POST /meals/:id/refund': { reason: '测试退餐' },
  'PUT /meal-subsidy-rules/:policyId': { perMealFen: { lunch: 100 } },
  'POST /canteens/:id/deliveries': { elderId: UUID, day: '2026-01-05', period: 'lunch', items: [{ dishId: UUID }] },
  'POST /meal-deliveries/:id/deliver': { lat: 30.6, lng: 104 },
  'POST /meal-deliveries/:id/cancel': { reason: '不需要了' },
  'POST /meal-deliveries/:id/assign': { providerId: UUID },
  'POST /meal-signals/:id/handle': { outcome: 'called', note: '已电话联系' },
  'POST /privilege-cards/:id/decisions': { decision: 'approve' },
  'POST /privilege-cards/:id/revoke': { reason: '注销' },
  'POST /privilege-cards/:id/reissue': { reason: '补发' },
  'PUT /institutions/:id/profile': { ownership: 'private', licenceNo: null, filingNo: null, filedOn: null, capacity: 10 },
  'POST /institutions/:id/buildings': { name: '1号楼', floors: [{ level: 1, name: '一层', rooms: [] }] },
  'POST /institutions/:id/admissions': { idNumber: '110101194001011234', name: '某人' },
  'PATCH /beds/:id': { priceFen: 100 },
  'POST /beds/:id/devices': { deviceId: 'DEV-1' },
  'PUT /admissions/:id/risk-assessment': { items: {}, assessedOn: '2026-01-05' },
  'POST /admissions/:id/admit': {
    abilityAssessmentId: UUID,
    nursingLevel: 'level2',
    bedId: UUID,
    contractNo: 'HT-1',
    bedFeeFen: 1,
    nursingFeeFen: 1,
    mealFeeFen: 1,
    depositFen: 1,
    admittedOn: '2026-01-05',
  },
  'POST /admissions/:id/move-bed': { bedId: UUID },
  'POST /institutions/:id/patrol-routes': {
    name: '巡查',
    shifts: [{ name: '白班', start: '08:00', windowMinutes: 60 }],
    checkpoints: [{ name: '配电室', area: '配电室', kind: 'electrical' }],
  },
  'POST /patrol-runs/:id/scans': { code: 'ZYP-AAAAAAAAAAAAAAAA', method: 'typed', result: 'pass' },
  'PUT /patrol-hazards/:id/assignment': { deadlineOn: '2026-01-05', ownerId: null },
  'POST /patrol-hazards/:id/rectify': { note: '已整改' },
  'POST /patrol-hazards/:id/recheck': { passed: true },
  'POST /admissions/:id/reservation': { bedId: UUID, reservedUntil: '2030-01-05T08:00:00+08:00' },
  'PUT /inspections/:id/self-assessment': { scores: [] },
  'PUT /inspections/:id/scores': { scores: [{ itemCode: 'env_location', score: 1 }] },
  'POST /inspections/:id/findings': { itemCode: null, description: '问题', dueOn: '2030-01-05' },
  'POST /inspection-findings/:id/rectify': { rectification: '已整改' },
  'POST /inspection-findings/:id/recheck': { passed: true },
  'POST /admissions/:id/end': { ending: 'discharged', endedOn: '2026-01-05' },
  'PUT /care-groups/:elderId': { groups: ['left_behind'] },
  'PUT /care-households/:elderId': { members: [] },
  'PUT /care-visit-plans/:elderId': { assigneeId: UUID },
  'POST /care-visits/:id/record': { outcome: 'not_home', lat: 30.62, lng: 104.02 },
  'POST /volunteer/care-visits/:id/record': { outcome: 'not_home', lat: 30.62, lng: 104.02 },
  'POST /care-follow-ups/:id/close': { note: '已处理' },
  'POST /risk-radar/elders/:id/plan': { kind: 'visit' },
  'PUT /family-beds/:id/home-assessment': { checklist: { grab_bars: 'needed' }, assessedOn: '2026-01-05' },
  'PUT /family-beds/:id/contract': {
    providerId: '00000000-0000-4000-8000-000000000001',
    contractNo: 'JC-1',
    contractFrom: '2026-01-05',
    policyId: '00000000-0000-4000-8000-000000000001',
    visitsPerWeek: 1,
  },
  'POST /family-beds/:id/devices': { deviceId: 'SCOPE-DEV-1' },
  'POST /family-beds/:id/suspend': { reason: '越权测试' },
  'POST /family-beds/:id/end': { reason: '越权测试' },
  'POST /family-beds/:id/suspensions': { fromDay: '2026-02-01', toDay: '2026-02-03', reason: '越权测试' },
  'POST /served-volunteer-tasks/:id/verdict': { verdict: 'confirm' },
  'POST /family-beds/:id/months/:month/release': { reason: '越权测试' },
  'POST /risk-tasks/:id/done': {},
  'POST /doctor-teams/:id/members': { name: '某护士', role: 'nurse' },
  'PATCH /doctor-team-members/:id': { active: false },
  'PATCH /medical-orgs/:id': { name: '改名' },
  'PATCH /doctor-teams/:id': { name: '改名' },
  'POST /doctor-contracts/:id/end': { reason: '解约' },
  'POST /medical-visits/:id/schedule': { scheduledOn: '2030-01-07' },
  'POST /medical-visits/:id/record': { lat: 30.62, lng: 104.02, findings: '正常' },
  'POST /medical-visits/:id/cancel': { reason: '取消' },
  'POST /home-bed-episodes/:id/visits': { scheduledOn: '2030-01-07' },
  'POST /home-bed-episodes/:id/discharge': { dischargedOn: '2026-01-06', summary: '撤床' },
  'POST /medical-referrals/:id/status': { status: 'accepted' },
  'POST /volunteers/:id/review': { decision: 'approve' },
  'POST /volunteer-tasks/:id/assign': { volunteerId: UUID },
  'POST /volunteer-tasks/:id/confirm': { minutes: 30 },
  'POST /volunteer-tasks/:id/cancel': { reason: '测试' },
  'POST /volunteer/tasks/:id/check-in': { method: 'call' },
  'POST /volunteer/tasks/:id/done': { minutes: 30 },
  'PUT /neighbourhood-points/:id': { name: '睦邻点', address: '甲一社区', regionCode: TREE.communityA1 },
};
/** Required query strings. */
const QUERIES: Record<string, string> = {
  'POST /service-orders/:id/photos': '?stage=check-in',
  'POST /allowance-applications/:id/documents': '?kind=other',
  'GET /allowance-rolls/:id/bank-file': '?format=csv',
  'GET /canteens/:id/menus': '?from=2026-01-05&to=2026-01-06',
  'GET /institutions/:id/incidents': '?from=2026-01-05&to=2026-01-06',
  'GET /institutions/:id/incidents.xlsx': '?from=2026-01-05&to=2026-01-06',
  'GET /canteens/:id/recommendations': `?elderId=${UUID}`,
  'GET /canteens/:id/elders': '?q=%E5%BC%A0',
};

let s: TestServer;
const ids = {} as Record<Kind, string>;
const callers = {} as Record<
  'staff' | 'worker' | 'responder' | 'volunteer' | 'institution' | 'doctor',
  Awaited<ReturnType<typeof clientAs>>['api']
>;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  const root = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  const site = { lat: 30.62, lng: 104.02 };

  // Everything below belongs to street B, or to a provider there.
  const elder = await createElder(s.ctx, TREE.communityB1, { lat: 30.62, lng: 104.02, address: '乙一社区1号' });
  const provider = await createServiceProvider(s.ctx, { regionCode: TREE.streetB, communities: [TREE.communityB1], site });
  const cleaning = await itemByCode(s.ctx, 'cleaning');
  const credit = await root.post(
    `/api/v1/wallets/${elder.id}/adjustments`,
    { currency: 'points', direction: 'credit', amount: 300, reason: '测试' },
    { 'idempotency-key': 'scope-credit' },
  );
  expect(credit.statusCode).toBe(201);
  const order = await root.post('/api/v1/service-orders', {
    elderId: elder.id,
    itemId: cleaning.id,
    scheduledAt: hoursFromNow(3),
  });
  expect(order.statusCode, order.body).toBe(201);
  const policy = await root.post('/api/v1/policies', {
    name: '乙街道积分',
    kind: 'points_grant',
    amount: 100,
    period: 'year',
    regionCode: TREE.streetB,
    conditions: { minAge: 80 },
    validFrom: `${new Date().getUTCFullYear() - 1}-01-01`,
  });
  expect(policy.statusCode).toBe(201);
  const device = await createDevice(s.ctx, { elderId: elder.id });
  const alarm = await s.ctx.db.transaction((tx) =>
    raiseAlarm(s.ctx, tx, {
      type: 'sos',
      priority: 'P1',
      mergeKey: `sos:${device.id}`,
      elderId: elder.id,
      deviceId: device.id,
      regionCode: TREE.communityB1,
      at: new Date(),
    }),
  );
  const responderB = await createAccount(s.ctx, 'responder', { regionCode: TREE.communityB1 });
  const [dispatch] = await s.ctx.db
    .insert(alarmDispatches)
    .values({ alarmId: (alarm as { id: string }).id, responderId: responderB.id })
    .returning();
  const userB = await createAccount(s.ctx, 'street_staff', { regionCode: TREE.streetB });
  const [imp] = await s.ctx.db
    .insert(elderImports)
    .values({ filename: 'b.xlsx', regionCode: TREE.streetB, createdBy: userB.id })
    .returning();
  const [complaint] = await s.ctx.db
    .insert(serviceComplaints)
    .values({
      orderId: order.json().id,
      elderId: elder.id,
      regionCode: TREE.communityB1,
      providerId: provider.org.id,
      dueAt: new Date(Date.now() + 86_400_000),
    })
    .returning();
  const [notice] = await s.ctx.db
    .insert(notifications)
    .values({
      elderId: elder.id,
      regionCode: TREE.communityB1,
      reason: 'alarm',
      recipientEnc: s.ctx.cipher.encrypt('13900000000'),
      recipientMasked: '139****0000',
      body: '测试',
    })
    .returning();
  const [call] = await s.ctx.db
    .insert(calls)
    .values({ direction: 'inbound', elderId: elder.id, partyKind: 'elder', offeredAt: new Date(), regionCode: TREE.communityB1 })
    .returning();
  const [kbArticle] = await s.ctx.db
    .insert(kbArticles)
    .values({ title: '乙街道助餐点', body: '乙街道的助餐点地址', regionCode: TREE.streetB })
    .returning();
  const settlement = await root.post('/api/v1/settlements', { providerId: provider.org.id, period: '2025-01' });
  const contact = await addContact(s.ctx, elder.id, {
    name: '乙家属',
    phone: '13900000001',
    relationship: 'child',
    callOrder: 1,
  });
  const assessment = await root.post('/api/v1/assessments', {
    elderId: elder.id,
    reason: 'first',
    assessedOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
    background: { coma: false, dementiaOrMentalDisorder: false, riskEvents30d: [] },
    scores: Object.fromEntries(ASSESSMENT_ITEMS.map((i) => [i.key, i.max])),
  });
  expect(assessment.statusCode).toBe(201);
  const [careCampaign] = await s.ctx.db
    .insert(careCallCampaigns)
    .values({
      name: '乙街道关爱',
      regionCode: TREE.streetB,
      target: { minAge: 80 },
      frequency: 'weekly',
      script: [{ key: 'mood', text: '心情', kind: 'scale' }],
      workStartMinute: 540,
      workEndMinute: 1050,
    })
    .returning();
  const [careTask] = await s.ctx.db
    .insert(careCallTasks)
    .values({
      elderId: elder.id,
      regionCode: TREE.communityB1,
      listDate: '2026-03-02',
      campaignIds: [careCampaign.id],
      workStartMinute: 540,
      workEndMinute: 1050,
      retryAfterMinutes: 120,
      maxAttemptsPerDay: 3,
      visitAfterDays: 3,
    })
    .returning();
  const [careVisit] = await s.ctx.db
    .insert(careVisitTasks)
    .values({ elderId: elder.id, regionCode: TREE.communityB1, reason: 'unreached', taskId: careTask.id })
    .returning();
  const agentB = await createAccount(s.ctx, 'operator', { regionCode: TREE.streetB });
  await s.ctx.db.insert(callAgents).values({ userId: agentB.id, extension: 'scope-b-1', regionCode: TREE.streetB });
  const [hotlineB] = await s.ctx.db
    .insert(callHotlines)
    .values({ number: '99912349', name: '乙街道热线', regionCode: TREE.streetB })
    .returning();
  const [queueB] = await s.ctx.db.insert(callQueues).values({ hotlineId: hotlineB.id, name: '综合' }).returning();
  // A canteen of community B1 with a dish and a meal.
  const canteenB = await createOrg(s.ctx, 'canteen', TREE.communityB1, '乙一社区长寿食堂');
  const [dishB] = await s.ctx.db
    .insert(canteenDishes)
    .values({ canteenId: canteenB.id, name: '米饭', category: 'staple', priceFen: 100 })
    .returning();
  const [mealB] = await s.ctx.db
    .insert(meals)
    .values({
      ticketNo: 'L001',
      canteenId: canteenB.id,
      elderId: elder.id,
      regionCode: TREE.communityB1,
      day: '2026-01-05',
      period: 'lunch',
      eatenAt: new Date(),
      items: [{ dishId: dishB.id, name: '米饭', priceFen: 100, qty: 1 }],
      totalFen: 100,
      subsidyFen: 0,
      selfPayFen: 100,
      payMethod: 'cash',
      idempotencyKey: 'scope-meal',
      requestHash: '-',
    })
    .returning();
  const [allowanceApp] = await s.ctx.db
    .insert(allowanceApplications)
    .values({ elderId: elder.id, regionCode: TREE.communityB1, source: 'staff', status: 'community' })
    .returning();
  // Started by community B's account for the B1 elder; the visit task is B1's.
  const [survivalChallenge] = await s.ctx.db
    .insert(allowanceSurvivalChallenges)
    .values({
      applicationId: allowanceApp.id,
      elderId: elder.id,
      channel: 'kiosk',
      actions: ['blink', 'turn_left'],
      nonce: 'n'.repeat(24),
      expiresAt: new Date(Date.now() + 3_600_000),
      createdBy: userB.id,
    })
    .returning();
  const [visitTask] = await s.ctx.db
    .insert(allowanceVisitTasks)
    .values({ applicationId: allowanceApp.id, elderId: elder.id, regionCode: TREE.communityB1, period: '2026-01' })
    .returning();
  // A roll is the whole district's: out of reach of anyone scoped to one street.
  const [allowanceRoll] = await s.ctx.db
    .insert(allowanceRolls)
    .values({ regionCode: TREE.district, month: '2025-01' })
    .returning();
  const [privilegeCardB] = await s.ctx.db
    .insert(privilegeCards)
    .values({ elderId: elder.id, regionCode: TREE.communityB1, source: 'staff', status: 'passed' })
    .returning();
  const [canteenSettlementB] = await s.ctx.db
    .insert(canteenSettlements)
    .values({ canteenId: canteenB.id, period: '2026-01' })
    .returning();
  const [deliveryB] = await s.ctx.db
    .insert(mealDeliveries)
    .values({
      canteenId: canteenB.id,
      elderId: elder.id,
      regionCode: TREE.communityB1,
      day: '2026-01-05',
      period: 'lunch',
      items: [{ dishId: dishB.id, qty: 1 }],
    })
    .returning();
  // A family care bed of the B1 elder (applied on the assessment above).
  const [familyBedB] = await s.ctx.db
    .insert(familyBeds)
    .values({
      elderId: elder.id,
      regionCode: TREE.communityB1,
      appliedOn: '2026-01-05',
      assessmentId: assessment.json().id,
      abilityLevel: 'severe',
    })
    .returning();
  const [bedSuspensionB] = await s.ctx.db
    .insert(familyBedSuspensions)
    .values({ bedId: familyBedB.id, fromDay: '2026-01-10', toDay: '2026-01-12', reason: '住院' })
    .returning();
  const [riskTaskB] = await s.ctx.db
    .insert(riskTasks)
    .values({ elderId: elder.id, regionCode: TREE.communityB1, kind: 'visit', score: 30 })
    .returning();
  // A care visit of the elder with a finding and its follow-up.
  const [careRoundB] = await s.ctx.db
    .insert(careVisits)
    .values({ elderId: elder.id, regionCode: TREE.communityB1, dueOn: '2026-01-05' })
    .returning();
  const [careFindingB] = await s.ctx.db
    .insert(careVisitFindings)
    .values({
      visitId: careRoundB.id,
      elderId: elder.id,
      regionCode: TREE.communityB1,
      type: 'gas',
      severity: 'urgent',
      foundAt: new Date(),
    })
    .returning();
  const [careFollowUpB] = await s.ctx.db
    .insert(careFollowUps)
    .values({
      findingId: careFindingB.id,
      elderId: elder.id,
      regionCode: TREE.communityB1,
      type: 'street_task',
      deadline: '2026-01-12',
      detail: '维修',
    })
    .returning();
  // An institution of community B1 with a bed and an application of the B1 elder.
  const institutionB = await createOrg(s.ctx, 'institution', TREE.communityB1, '乙一社区养老院');
  const [buildingB] = await s.ctx.db.insert(institutionBuildings).values({ orgId: institutionB.id, name: '1号楼' }).returning();
  const [floorB] = await s.ctx.db
    .insert(institutionFloors)
    .values({ buildingId: buildingB.id, name: '一层', level: 1 })
    .returning();
  const [roomB] = await s.ctx.db.insert(institutionRooms).values({ floorId: floorB.id, name: '101' }).returning();
  const [bedB] = await s.ctx.db.insert(beds).values({ roomId: roomB.id, orgId: institutionB.id, label: '1' }).returning();
  const [admissionB] = await s.ctx.db
    .insert(admissions)
    .values({ orgId: institutionB.id, elderId: elder.id, appliedOn: '2026-01-05' })
    .returning();
  // An inspection of the B1 institution with a finding.
  const [gbtTemplate] = await s.ctx.db.select().from(inspectionTemplates).limit(1);
  const [roundB] = await s.ctx.db
    .insert(inspectionRounds)
    .values({ regionCode: TREE.streetB, kind: 'quarterly', period: '2026Q1', name: '一季度', dueOn: '2026-03-31' })
    .returning();
  const [inspectionB] = await s.ctx.db
    .insert(inspections)
    .values({
      roundId: roundB.id,
      orgId: institutionB.id,
      orgType: 'institution',
      regionCode: TREE.communityB1,
      templateId: gbtTemplate.id,
      period: '2026Q1',
    })
    .returning();
  const [findingB] = await s.ctx.db
    .insert(inspectionFindings)
    .values({
      inspectionId: inspectionB.id,
      orgId: institutionB.id,
      description: '问题',
      deadline: '2026-04-30',
      status: 'rectified',
    })
    .returning();
  // A patrol route of the B1 institution with a run and a hazard.
  const [patrolRouteB] = await s.ctx.db.insert(patrolRoutes).values({ orgId: institutionB.id, name: '巡查' }).returning();
  const [checkpointB] = await s.ctx.db
    .insert(patrolCheckpoints)
    .values({
      routeId: patrolRouteB.id,
      orgId: institutionB.id,
      seq: 1,
      name: '配电室',
      area: '配电室',
      kind: 'electrical',
      code: 'ZYP-BBBBBBBBBBBBBBBB',
    })
    .returning();
  const [patrolRunB] = await s.ctx.db
    .insert(patrolRuns)
    .values({
      routeId: patrolRouteB.id,
      orgId: institutionB.id,
      shift: '白班',
      startsAt: new Date(Date.now() - 600_000),
      dueAt: new Date(Date.now() + 3_600_000),
      closesAt: new Date(Date.now() + 7_200_000),
      checkpoints: 1,
    })
    .returning();
  const [patrolHazardB] = await s.ctx.db
    .insert(patrolHazards)
    .values({
      orgId: institutionB.id,
      checkpointId: checkpointB.id,
      area: '配电室',
      description: '线路老化',
      deadlineOn: '2026-01-09',
      status: 'rectified',
    })
    .returning();
  const [signalB] = await s.ctx.db
    .insert(mealSignals)
    .values({
      elderId: elder.id,
      regionCode: TREE.communityB1,
      day: '2026-01-09',
      lastMealDay: '2026-01-05',
      daysAbsent: 4,
      mealsInWindow: 5,
      canteenId: canteenB.id,
    })
    .returning();
  const ltcB = await ltcScopeFixtures(s.ctx, TREE.communityB1, provider.org.id, cleaning.id);
  // 医养结合 of street B: a medical organisation, its team and member, a contract, a 家庭病床 with a
  // visit, a partnership with the B1 institution and a referral.
  const [medOrgB] = await s.ctx.db
    .insert(medicalOrgs)
    .values({ name: '乙街道社区卫生服务中心', kind: 'community_health_centre', regionCode: TREE.streetB })
    .returning();
  const [teamB] = await s.ctx.db
    .insert(doctorTeams)
    .values({ orgId: medOrgB.id, name: '乙团队', regionCode: TREE.streetB, communities: [TREE.communityB1] })
    .returning();
  const [memberB] = await s.ctx.db
    .insert(doctorTeamMembers)
    .values({ teamId: teamB.id, name: '乙医生', role: 'doctor', licenceNo: 'B-1' })
    .returning();
  const [contractB] = await s.ctx.db
    .insert(doctorContracts)
    .values({
      elderId: elder.id,
      teamId: teamB.id,
      regionCode: TREE.communityB1,
      package: 'basic',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
    })
    .returning();
  const [homeBedB] = await s.ctx.db
    .insert(homeBedEpisodes)
    .values({
      elderId: elder.id,
      teamId: teamB.id,
      regionCode: TREE.communityB1,
      privateEnc: sealEpisodeHealth(s.ctx.cipher, {
        diagnosis: '糖尿病',
        criteriaCheck: { eligible: true, checks: [] },
        dischargeSummary: null,
      }),
      admittedOn: '2026-01-05',
      visitsPerWeek: 1,
    })
    .returning();
  const [medVisitB] = await s.ctx.db
    .insert(medicalVisits)
    .values({
      elderId: elder.id,
      regionCode: TREE.communityB1,
      teamId: teamB.id,
      source: 'episode',
      privateEnc: sealVisitReason(s.ctx.cipher, '查床'),
      episodeId: homeBedB.id,
    })
    .returning();
  const [partnershipB] = await s.ctx.db
    .insert(medicalPartnerships)
    .values({
      orgId: institutionB.id,
      medicalOrgId: medOrgB.id,
      regionCode: TREE.communityB1,
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      greenChannel: true,
    })
    .returning();
  const [referralB] = await s.ctx.db
    .insert(medicalReferrals)
    .values({
      elderId: elder.id,
      regionCode: TREE.communityB1,
      source: 'care_staff',
      medicalOrgId: medOrgB.id,
      teamId: teamB.id,
      privateEnc: sealReferralHealth(s.ctx.cipher, { reason: '转诊', note: null }),
    })
    .returning();
  // A volunteer of community B1 with a task for the B1 elder, and a 睦邻点 there.
  const volunteerUserB = await createAccount(s.ctx, 'volunteer', { regionCode: TREE.communityB1 });
  const [volunteerB] = await s.ctx.db
    .insert(volunteers)
    .values({
      userId: volunteerUserB.id,
      name: '乙志愿者',
      phoneEnc: s.ctx.cipher.encrypt('13900000077'),
      phoneIndex: s.ctx.cipher.blindIndex('13900000077', 'volunteer-phone'),
      phoneMasked: '139****0077',
      regionCode: TREE.communityB1,
      status: 'approved',
      source: 'staff',
    })
    .returning();
  const [volunteerTaskB] = await s.ctx.db
    .insert(volunteerTasks)
    .values({
      regionCode: TREE.communityB1,
      elderId: elder.id,
      kind: 'visit',
      scheduledOn: '2026-01-05',
      plannedMinutes: 30,
      status: 'assigned',
      volunteerId: volunteerB.id,
    })
    .returning();
  const [pointB] = await s.ctx.db
    .insert(neighbourhoodPoints)
    .values({ regionCode: TREE.communityB1, name: '乙一睦邻点', address: '乙一社区' })
    .returning();
  Object.assign(ids, {
    region: TREE.communityB1,
    org: provider.org.id,
    user: userB.id,
    elderImport: imp.id,
    elder: elder.id,
    contact: contact.id,
    assessment: assessment.json().id,
    provider: provider.org.id,
    worker: provider.worker.id,
    policy: policy.json().id,
    notice: notice.id,
    order: order.json().id,
    photo: '00000000-0000-4000-8000-000000000001',
    complaint: complaint.id,
    settlement: settlement.json().id ?? '',
    device: device.id,
    alarm: (alarm as { id: string }).id,
    dispatch: dispatch.id,
    dispatchStatus: 'accept',
    // A call's recordings are numbered from 1 (the call itself is out of scope).
    recordingPart: '1',
    careCampaign: careCampaign.id,
    careCallTask: careTask.id,
    careVisit: careVisit.id,
    call: call.id,
    kbArticle: kbArticle.id,
    callAgent: agentB.id,
    hotline: hotlineB.id,
    callQueue: queueB.id,
    allowanceApplication: allowanceApp.id,
    allowanceRoll: allowanceRoll.id,
    survivalChallenge: survivalChallenge.id,
    visitTask: visitTask.id,
    privilegeCard: privilegeCardB.id,
    careRound: careRoundB.id,
    careFollowUp: careFollowUpB.id,
    canteen: canteenB.id,
    dish: dishB.id,
    menuDay: '2026-01-05',
    mealPeriod: 'lunch',
    meal: mealB.id,
    canteenSettlement: canteenSettlementB.id,
    institution: institutionB.id,
    bed: bedB.id,
    admission: admissionB.id,
    mealDelivery: deliveryB.id,
    mealSignal: signalB.id,
    riskTask: riskTaskB.id,
    medicalOrg: medOrgB.id,
    doctorTeam: teamB.id,
    teamMember: memberB.id,
    doctorContract: contractB.id,
    medicalVisit: medVisitB.id,
    homeBed: homeBedB.id,
    partnership: partnershipB.id,
    referral: referralB.id,
    patrolRun: patrolRunB.id,
    patrolHazard: patrolHazardB.id,
    familyBed: familyBedB.id,
    bedMonth: '2026-01',
    bedSuspension: bedSuspensionB.id,
    ltcPolicy: ltcB.policyId,
    ltcClaim: ltcB.claimId,
    inspection: inspectionB.id,
    inspectionFinding: findingB.id,
    volunteer: volunteerB.id,
    volunteerTask: volunteerTaskB.id,
    neighbourhoodPoint: pointB.id,
  } satisfies Record<Kind, string>);

  // Callers: street A's reach (the broadest role, so the role never answers 403 first), a worker
  // of a street A provider, and a community A1 responder.
  callers.staff = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.streetA })).api;
  const providerA = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetA,
    communities: [TREE.communityA1],
    site: { lat: 30.61, lng: 104.01 },
  });
  callers.worker = (await clientAs(s.app, s.ctx, 'service_worker', { orgId: providerA.org.id })).api;
  callers.responder = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  callers.volunteer = (await clientAs(s.app, s.ctx, 'volunteer', { regionCode: TREE.communityA1 })).api;
  // A family doctor of a street A team (the doctors' own routes: visits, 家庭病床, referrals).
  const doctorA = await clientAs(s.app, s.ctx, 'doctor');
  const [medOrgA] = await s.ctx.db
    .insert(medicalOrgs)
    .values({ name: '甲街道社区卫生服务中心', kind: 'community_health_centre', regionCode: TREE.streetA })
    .returning();
  const [teamA] = await s.ctx.db
    .insert(doctorTeams)
    .values({ orgId: medOrgA.id, name: '甲团队', regionCode: TREE.streetA, communities: [TREE.communityA1] })
    .returning();
  await s.ctx.db
    .insert(doctorTeamMembers)
    .values({ teamId: teamA.id, userId: doctorA.account.id, name: '甲医生', role: 'doctor' });
  callers.doctor = doctorA.api;
  // An institution of community A1's staff: patrol scans and rectifications (institution:care).
  const institutionA = await createOrg(s.ctx, 'institution', TREE.communityA1, '甲一社区养老院');
  callers.institution = (await clientAs(s.app, s.ctx, 'institution_staff', { orgId: institutionA.id })).api;
});
afterAll(() => s.close());

const idRoutes = () =>
  s.app.routeTable
    .filter((r) => r.url.startsWith('/api/v1/') && r.url.includes('/:'))
    .map((r) => ({ ...r, path: r.url.slice('/api/v1'.length) }));

function kindsOf(path: string) {
  return PARAM_KINDS.find(([re]) => re.test(path))?.[1];
}

function callerFor(r: DeclaredRoute) {
  const p = r.config.permission;
  if (!p || ROLE_PERMISSIONS.district_admin.includes(p)) return callers.staff;
  if (ROLE_PERMISSIONS.service_worker.includes(p) && p === 'order:work') return callers.worker;
  if (ROLE_PERMISSIONS.community_staff.includes(p as never)) return callers.responder;
  if (ROLE_PERMISSIONS.volunteer.includes(p as never)) return callers.volunteer;
  if (p === 'institution:care') return callers.institution;
  if (ROLE_PERMISSIONS.doctor.includes(p as never)) return callers.doctor;
  throw new Error(`no caller for ${p} (${(Object.keys(ROLE_PERMISSIONS) as Role[]).join(', ')})`);
}

describe('out-of-scope ids answer 404 on every /:id route', () => {
  it('every id route maps each of its parameters to a resource kind', () => {
    const unmapped: string[] = [];
    for (const r of idRoutes()) {
      const key = `${r.method} ${r.path}`;
      if (NOT_SCOPED[key]) continue;
      const kinds = kindsOf(r.path);
      const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
      if (!kinds || params.some((p) => !kinds[p])) unmapped.push(key);
    }
    expect(unmapped, 'add the new route to PARAM_KINDS (and a factory for its kind)').toEqual([]);
  });

  it('answers 404 for another street / organisation / user’s record', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const r of idRoutes()) {
      const key = `${r.method} ${r.path}`;
      if (NOT_SCOPED[key]) continue;
      const kinds = kindsOf(r.path);
      if (!kinds) continue;
      const url = `/api/v1${r.path.replace(/:(\w+)/g, (_m, p: string) => encodeURIComponent(ids[kinds[p]]))}${QUERIES[key] ?? ''}`;
      const api = callerFor(r);
      const extra = { 'idempotency-key': `scope-${checked}` };
      const body = BODIES[key] ?? {};
      const res =
        r.method === 'GET'
          ? await api.get(url)
          : r.method === 'DELETE'
            ? await api.delete(url, extra)
            : await api[r.method.toLowerCase() as 'post' | 'put' | 'patch'](url, body, extra);
      checked++;
      if (res.statusCode !== 404) wrong.push(`${key} → ${res.statusCode} ${res.body.slice(0, 160)}`);
    }
    expect(checked).toBeGreaterThan(80);
    expect(wrong).toEqual([]);
  });
});

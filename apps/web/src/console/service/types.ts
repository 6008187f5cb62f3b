import type { OrderStatus, PaymentMethod, VisitFlag } from '@zhiyang/shared';

/** Shapes of the service-loop API answers (see the server's route schemas). */
export interface Provider {
  id: string;
  name: string;
  regionCode: string;
  creditCode: string;
  legalPerson: string | null;
  approvalStatus: 'pending' | 'approved' | 'rejected' | 'suspended';
  statusReason: string | null;
  dishonest: boolean;
  dishonestReason: string | null;
  dailyCapacity: number;
  slotMinutes: number;
  slotCapacity: number | null;
  rating: number | null;
  ratingCount: number;
}
export interface Licence {
  id: string;
  kind: string;
  number: string;
  validUntil: string;
  state: 'valid' | 'expiring' | 'expired';
}
export interface ProviderDetail extends Provider {
  areas: string[];
  sites: Array<{ id: string; name: string; regionCode: string; address: string | null; lat: number; lng: number }>;
  licences: Licence[];
  offerings: Array<{ itemId: string; priceFen: number }>;
  staffCount: number;
}
export interface Staff {
  userId: string;
  name: string;
  username: string | null;
  careLevel: string | null;
  careCertValidUntil: string | null;
  healthCertValidUntil: string | null;
  active: boolean;
  assignable: boolean;
}
export interface Policy {
  id: string;
  name: string;
  kind: 'points_grant' | 'purchase_credit';
  amount: number;
  period: 'year' | 'month';
  regionCode: string;
  conditions: Record<string, unknown>;
  conditionsText: string;
  validFrom: string;
  validTo: string | null;
  prorate: boolean;
  expireUnused: boolean;
  status: 'draft' | 'active' | 'ended';
}
export interface Order {
  id: string;
  no: string;
  elderId: string;
  elderName: string | null;
  elderAddress: string | null;
  elderLat: number | null;
  elderLng: number | null;
  regionCode: string;
  itemId: string;
  itemName: string | null;
  providerId: string | null;
  providerName: string | null;
  workerId: string | null;
  workerName: string | null;
  channel: string;
  status: OrderStatus;
  scheduledAt: string;
  durationMinutes: number;
  quantity: number;
  payment: PaymentMethod;
  points: number;
  amountFen: number;
  note: string | null;
  dispatchMode: 'auto' | 'manual' | null;
  dispatchExplain: { why?: string; [k: string]: unknown } | null;
  flags: VisitFlag[];
  reviewStatus: 'none' | 'pending' | 'cleared' | 'rejected';
  cancelReason: string | null;
  servedAt: string | null;
  confirmedAt: string | null;
}
export interface OrderDetail extends Order {
  history: Array<{
    at: string;
    from: string | null;
    to: string;
    action: string;
    actorName: string | null;
    reason: string | null;
  }>;
  offers: Array<{
    providerId: string;
    mode: string;
    score: number | null;
    status: string;
    reason: string | null;
    offeredAt: string;
  }>;
  visit: {
    checkInAt: string;
    checkInMethod: string;
    checkInDistanceM: number | null;
    checkOutAt: string | null;
    checkOutDistanceM: number | null;
    record: string | null;
    flags: VisitFlag[];
  } | null;
  rating: { score: number; comment: string | null } | null;
}
export interface Candidate {
  providerId: string;
  providerName: string;
  distanceKm: number | null;
  nearestSite: string | null;
  rating: number;
  load: number;
  capacity: number;
  slotStart: string;
  slotEnd: string;
  slotLoad: number;
  slotCapacity: number | null;
  components: { distance: number; rating: number; load: number };
  score: number;
}
export interface Settlement {
  id: string;
  providerId: string;
  providerName: string;
  period: string;
  status: 'draft' | 'confirmed' | 'approved';
  pointsRateFen: number;
  orderCount: number;
  pointsTotal: number;
  pointsFen: number;
  purchaseFen: number;
  totalFen: number;
  heldCount: number;
  heldFen: number;
}
export interface Complaint {
  id: string;
  orderId: string;
  orderNo: string;
  elderName: string;
  providerName: string | null;
  reason: string | null;
  status: 'open' | 'closed';
  dueAt: string;
  overdue: boolean;
  followUp: string | null;
}
export type { Page } from '../../app/types.ts';

export const yuan = (fen: number) => (fen / 100).toFixed(2);
export const newKey = () => globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;

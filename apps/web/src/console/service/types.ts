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
export type { Page } from '../../app/types.ts';

export const yuan = (fen: number) => (fen / 100).toFixed(2);
export const newKey = () => globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;

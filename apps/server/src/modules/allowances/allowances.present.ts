import type { FieldCipher } from '../../lib/crypto.ts';
import { clearValue, maskedId } from '../elders/elders.present.ts';
import type { AppRow, RollRow, TierRow } from './allowances.repo.ts';
import { maskAccount } from './allowances.rules.ts';
import type { allowanceEvents } from './allowances.schema.ts';

export const presentTier = (t: TierRow) => ({
  id: t.id,
  regionCode: t.regionCode,
  year: t.year,
  minAge: t.minAge,
  maxAge: t.maxAge,
  monthlyFen: t.monthlyFen,
  localHukouOnly: t.localHukouOnly,
  minResidenceYears: t.minResidenceYears,
  excludedCategories: t.excludedCategories,
  effectiveFrom: t.effectiveFrom,
  effectiveTo: t.effectiveTo,
});

/** An application as lists show it: ID number and bank account masked. */
export function presentApplication(cipher: FieldCipher, r: NonNullable<AppRow>) {
  const a = r.app;
  return {
    id: a.id,
    elderId: a.elderId,
    elderName: r.elderName,
    idNumberMasked: maskedId(cipher, r.idNumberEnc),
    birthDate: r.birthDate,
    regionCode: a.regionCode,
    regionName: r.regionName,
    source: a.source,
    status: a.status,
    bankName: a.bankName,
    bankAccountMasked: maskAccount(clearValue(cipher, a.bankAccountEnc)),
    accountHolder: a.accountHolder,
    residenceSince: a.residenceSince,
    note: a.note,
    rejectReason: a.rejectReason,
    noticeEndsOn: a.noticeEndsOn,
    openObjections: a.openObjections,
    paidFrom: a.paidFrom,
    suspendReason: a.suspendReason,
    suspendedFrom: a.suspendedFrom,
    stoppedAfter: a.stoppedAfter,
    accountProblem: a.accountProblem,
    createdAt: a.createdAt.toISOString(),
  };
}

export const presentEvent = (e: typeof allowanceEvents.$inferSelect) => ({
  action: e.action,
  fromStatus: e.fromStatus,
  toStatus: e.toStatus,
  reason: e.reason,
  actorName: e.actorName,
  at: e.at.toISOString(),
});

export const presentRoll = (r: RollRow) => ({
  id: r.id,
  regionCode: r.regionCode,
  month: r.month,
  status: r.status,
  lineCount: r.lineCount,
  totalFen: r.totalFen,
  generatedAt: r.generatedAt.toISOString(),
  approvedAt: r.approvedAt ? r.approvedAt.toISOString() : null,
  ledgerTransactionId: r.ledgerTxId,
});

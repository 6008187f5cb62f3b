import type { CallDetail, CallListItem, KbArticle } from '@zhiyang/shared';
import type { FieldCipher } from '../../lib/crypto.ts';
import { clearValue } from '../elders/elders.present.ts';
import type { CallDetailRow, CallListRow, CategoryRow } from './calls.repo.ts';
import type { ArticleRow } from './kb.repo.ts';
import { maskNumber } from './party.ts';
import type { RecordingPart } from './recordings.repo.ts';

/** Calls as the API answers them: numbers only masked (a decryption failure shows as null, never a 500). */

const iso = (d: Date | null) => d?.toISOString() ?? null;
const masked = (cipher: FieldCipher, box: string | null) => maskNumber(clearValue(cipher, box));
const seconds = (from: Date | null, to: Date | null) =>
  from && to ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : null;

export function presentCallListItem(cipher: FieldCipher, r: CallListRow): CallListItem {
  const c = r.call;
  return {
    id: c.id,
    direction: c.direction,
    numberMasked: masked(cipher, c.direction === 'inbound' ? c.callerEnc : c.calledEnc),
    partyKind: c.partyKind,
    elderId: c.elderId,
    elderName: r.elderName ?? null,
    agentUserId: c.agentUserId,
    agentName: r.agentName ?? null,
    offeredAt: c.offeredAt.toISOString(),
    answeredAt: iso(c.answeredAt),
    endedAt: iso(c.endedAt),
    wrapUpEndedAt: iso(c.wrapUpEndedAt),
    outcome: c.outcome,
    categoryCode: c.categoryCode,
    categoryName: r.categoryName ?? null,
    subcategory: c.subcategory,
    terminalKey: c.terminalKey,
    orderId: c.orderId,
    alarmId: c.alarmId,
    complaintId: c.complaintId,
    articleId: c.articleId,
    regionCode: c.regionCode,
    loggedByHand: c.loggedBy !== null,
  };
}

export function presentCallDetail(cipher: FieldCipher, r: CallDetailRow & { recordings: RecordingPart[] }): CallDetail {
  const c = r.call;
  return {
    ...presentCallListItem(cipher, r),
    callerMasked: masked(cipher, c.callerEnc),
    calledMasked: masked(cipher, c.calledEnc),
    externalId: c.externalId,
    hotlineId: c.hotlineId,
    queueId: c.queueId,
    contactId: c.contactId,
    deviceId: c.deviceId,
    ringingAt: iso(c.ringingAt),
    waitSeconds: seconds(c.offeredAt, c.answeredAt ?? c.endedAt),
    talkSeconds: seconds(c.answeredAt, c.endedAt),
    wrapUpSeconds: seconds(c.endedAt, c.wrapUpEndedAt),
    notes: c.notes,
    articleTitle: r.articleTitle ?? null,
    orderNo: r.orderNo ?? null,
    recordingRef: c.recordingRef,
    recordings: r.recordings.map((p, i) => ({
      part: i + 1,
      recordingRef: p.ref,
      agentUserId: p.agentUserId,
      agentName: p.agentName ?? null,
      startedAt: p.startedAt.toISOString(),
      seconds: p.seconds,
    })),
    transferredOutAt: iso(c.transferredOutAt),
    transferredOutMasked: masked(cipher, c.transferredOutEnc),
    campaignTaskId: c.campaignTaskId,
    loggedBy: c.loggedBy,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export const presentCategory = (c: CategoryRow) => ({
  code: c.code,
  name: c.name,
  parentCode: c.parentCode,
  defaultItemCodes: c.defaultItemCodes,
  sort: c.sort,
  active: c.active,
});

export const presentArticle = (a: ArticleRow): KbArticle => ({
  id: a.id,
  title: a.title,
  body: a.body,
  keywords: a.keywords,
  titleInitials: a.titleInitials,
  categoryCode: a.categoryCode,
  regionCode: a.regionCode,
  active: a.active,
  updatedAt: a.updatedAt.toISOString(),
});

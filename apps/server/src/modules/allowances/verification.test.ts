import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../../lib/dates.ts';
import { createElder } from '../../testing/elders.ts';
import { TREE } from '../../testing/factories.ts';
import { periodOf } from './allowances.rules.ts';
import { allowanceApplications, allowanceVerifications } from './allowances.schema.ts';
import { allowanceWorld, bornAged, cur } from './allowances.testing.ts';
import { dailyUpkeep } from './tiers.service.ts';

type World = Awaited<ReturnType<typeof allowanceWorld>>;
let w: World;
beforeAll(async () => {
  w = await allowanceWorld();
});
afterAll(() => w.s.close());

describe('quarterly survival verification', () => {
  it('counts a verification for its quarter; one missed quarter suspends when the district says so', async () => {
    const { s, district, street, community, apply } = w;
    const put = await district.put('/api/v1/allowance-settings', {
      regionCode: TREE.district,
      noticeDays: 0,
      verificationPeriod: 'quarter',
      missedPeriodsSuspend: 1,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await community.get(`/api/v1/allowance-settings?regionCode=${TREE.district}`)).json()).toMatchObject({
      verificationPeriod: 'quarter',
      missedPeriodsSuspend: 1,
    });
    const ids: Record<'verified' | 'missed', string> = { verified: '', missed: '' };
    for (const k of ['verified', 'missed'] as const) {
      const e = await createElder(s.ctx, TREE.communityA1, {
        birthDate: bornAged(86),
        name: k === 'verified' ? '冯淑英' : '陈玉珍',
      });
      ids[k] = await apply(e.id);
      for (const api of [community, street, district])
        expect((await api.post(`/api/v1/allowance-applications/${ids[k]}/decisions`, { decision: 'approve' })).statusCode).toBe(
          200,
        );
    }
    // Their 公示 has ended (its last day long past), so the daily upkeep starts payment.
    await s.ctx.db
      .update(allowanceApplications)
      .set({ noticeEndsOn: '2000-01-01' })
      .where(eq(allowanceApplications.status, 'notice'));
    await dailyUpkeep(s.ctx);
    // Paid for two quarters already.
    for (const id of Object.values(ids))
      await s.ctx.db
        .update(allowanceApplications)
        .set({ paidFrom: addMonths(cur, -6) })
        .where(eq(allowanceApplications.id, id));

    // The verified one was seen by video in a month of last quarter: it counts for the quarter.
    const lastQuarterMonth = addMonths(cur, -3);
    const v = await community.post(`/api/v1/allowance-applications/${ids.verified}/verifications`, {
      month: lastQuarterMonth,
      method: 'video',
      result: 'passed',
    });
    expect(v.statusCode, v.body).toBe(201);
    const [row] = await s.ctx.db.select().from(allowanceVerifications);
    expect(row.period).toBe(periodOf(lastQuarterMonth, 'quarter'));
    expect(row.period).toMatch(/^\d{4}-Q[1-4]$/);

    const roll = await district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: cur });
    expect(roll.statusCode, roll.body).toBe(200);
    const lines = (await district.get(`/api/v1/allowance-rolls/${roll.json().id}`)).json().lines as Array<{
      applicationId: string;
    }>;
    expect(lines.map((l) => l.applicationId)).toEqual([ids.verified]);
    const missed = (await community.get(`/api/v1/allowance-applications/${ids.missed}`)).json();
    expect(missed).toMatchObject({ status: 'suspended', suspendReason: 'verification', suspendedFrom: cur });
    expect(missed.timeline.at(-1)).toMatchObject({ action: 'suspended_verification', reason: '连续1期未完成生存认证' });
  });
});

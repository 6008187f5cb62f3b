import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addContact, createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { createDevice, type SafetyServer, startSafetyServer } from '../../testing/safety.ts';
import { auditLog } from '../audit/audit.schema.ts';

const ELDER_PHONE = '13900000009';
const SON_PHONE = '13800000002';

let s: SafetyServer;
let elder: Awaited<ReturnType<typeof createElder>>;
let holder: Awaited<ReturnType<typeof clientAs>>;
let colleague: Awaited<ReturnType<typeof clientAs>>;
let alarmId: string;

beforeAll(async () => {
  s = await startSafetyServer();
  await seedTree(s.ctx);
  elder = await createElder(s.ctx, TREE.communityA1, { phone: ELDER_PHONE });
  await addContact(s.ctx, elder.id, { name: '李二', relationship: 'son', phone: SON_PHONE, callOrder: 1 });
  holder = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
  colleague = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
  const dev = await createDevice(s.ctx, { elderId: elder.id, type: 'pendant' });
  const d = await s.intake.device(dev.id);
  if (!d) throw new Error('no device');
  await s.intake.submit(
    {
      deviceId: dev.id,
      msgId: 'p-1',
      type: 'sos',
      data: {},
      deviceTs: new Date(),
      receivedAt: new Date(),
      transport: 'internal',
    },
    d,
  );
  const list = (await holder.api.get(`/api/v1/alarms?elderId=${elder.id}`)).json();
  alarmId = list.items[0].id;
});
afterAll(() => s.close());

type Card = { phonesMasked: boolean; elder: { phone: string | null }; contacts: Array<{ phone: string }> };
const card = async (who: typeof holder) => (await who.api.get(`/api/v1/alarms/${alarmId}`)).json() as Card;
const phonesOf = (c: Card) => [c.elder.phone, ...c.contacts.map((x) => x.phone)];

describe('phones on the alarm card', () => {
  it('are masked before anyone holds the alarm, and in lists', async () => {
    const c = await card(holder);
    expect(c.phonesMasked).toBe(true);
    expect(phonesOf(c)).toEqual(['139****0009', '138****0002']);
    const list = await holder.api.get('/api/v1/alarms');
    expect(list.json().items.map((a: { id: string }) => a.id)).toContain(alarmId);
    expect(list.body).not.toContain(ELDER_PHONE);
    expect(list.body).not.toContain(SON_PHONE);
  });

  it('are in full for the operator who holds the open alarm, masked for the others', async () => {
    expect((await holder.api.post(`/api/v1/alarms/${alarmId}/acknowledge`)).statusCode).toBe(200);
    const mine = await card(holder);
    expect(mine.phonesMasked).toBe(false);
    expect(phonesOf(mine)).toEqual([ELDER_PHONE, SON_PHONE]);
    const theirs = await card(colleague);
    expect(theirs.phonesMasked).toBe(true);
    expect(JSON.stringify(theirs)).not.toContain(SON_PHONE);
    const staff = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    expect(phonesOf(await card(staff))).toEqual(['139****0009', '138****0002']);
  });

  it('another operator reveals them through the elder reveal, with a reason on the audit trail', async () => {
    const url = `/api/v1/elders/${elder.id}/reveal`;
    expect((await colleague.api.post(url, { fields: ['phone', 'contacts'] })).statusCode).toBe(400);
    const res = await colleague.api.post(url, { fields: ['phone', 'contacts'], reason: '协助回拨' });
    expect(res.statusCode).toBe(200);
    expect(res.json().phone).toBe(ELDER_PHONE);
    expect(res.json().contacts[0].phone).toBe(SON_PHONE);
    const [row] = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'elder.reveal'), eq(auditLog.actorId, colleague.account.id)));
    expect(row.detail).toEqual({ fields: ['phone', 'contacts'], reason: '协助回拨' });
  });

  it('are masked again once the alarm is closed, also for its former holder', async () => {
    expect((await holder.api.post(`/api/v1/alarms/${alarmId}/resolve`, { outcome: 'false_alarm' })).statusCode).toBe(200);
    const closed = await card(holder);
    expect(closed.phonesMasked).toBe(true);
    expect(phonesOf(closed)).toEqual(['139****0009', '138****0002']);
  });
});

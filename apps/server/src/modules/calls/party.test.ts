import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addContact, createElder } from '../../testing/elders.ts';
import { seedTree, TREE } from '../../testing/factories.ts';
import { createDevice } from '../../testing/safety.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { devices } from '../devices/devices.schema.ts';
import { encodeNumber, maskNumber, matchParty, normaliseNumber, primaryParty } from './party.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
});
afterAll(() => s.close());

describe('numbers', () => {
  it('are normalised as the archive keeps them: country code, spaces and dashes dropped', () => {
    expect(normaliseNumber('+86 138-0013-8000')).toBe('13800138000');
    expect(normaliseNumber('008613800138000')).toBe('13800138000');
    expect(normaliseNumber('8613800138000')).toBe('13800138000');
    expect(normaliseNumber('027-8888 8888')).toBe('02788888888');
    expect(normaliseNumber('968962')).toBe('968962');
    expect(maskNumber('+8613800138000')).toBe('138****8000');
  });

  it('encode like the elder phone: same blind index, encrypted value decrypts to the normalised number', () => {
    const { enc, hash } = encodeNumber(s.ctx.cipher, '+86 139 0000 1111');
    expect(hash).toBe(s.ctx.cipher.blindIndex('13900001111', 'phone'));
    expect(s.ctx.cipher.decrypt(enc as string)).toBe('13900001111');
  });
});

describe('matchParty', () => {
  it('finds the elder by phone, the terminal by SIM, the contact by phone; none is unknown', async () => {
    const elder = await createElder(s.ctx, TREE.communityA1, { name: '王秀英', phone: '13811112222' });
    const other = await createElder(s.ctx, TREE.communityA2, { name: '李桂兰' });
    const dev = await createDevice(s.ctx, { type: 'sos_terminal', elderId: other.id, regionCode: TREE.communityA2 });
    await s.ctx.db.update(devices).set({ sim: '+8614700003333' }).where(eq(devices.id, dev.id));
    const son = await addContact(s.ctx, elder.id, { name: '王强', relationship: '儿子', phone: '13944445555', callOrder: 1 });

    const byPhone = await matchParty(s.ctx.db, s.ctx.cipher, '+86 138-1111-2222');
    expect(byPhone).toEqual([expect.objectContaining({ kind: 'elder', elderId: elder.id, elderName: '王秀英' })]);
    expect(primaryParty(byPhone)).toMatchObject({ partyKind: 'elder', elderId: elder.id });

    const bySim = await matchParty(s.ctx.db, s.ctx.cipher, '14700003333');
    expect(bySim).toEqual([expect.objectContaining({ kind: 'terminal', elderId: other.id, deviceId: dev.id })]);
    expect(primaryParty(bySim)).toMatchObject({ partyKind: 'terminal', elderId: other.id, deviceId: dev.id });

    const byContact = await matchParty(s.ctx.db, s.ctx.cipher, '139-4444-5555');
    expect(byContact).toEqual([
      expect.objectContaining({
        kind: 'contact',
        elderId: elder.id,
        contactId: son.id,
        contactName: '王强',
        relationship: '儿子',
      }),
    ]);

    expect(await matchParty(s.ctx.db, s.ctx.cipher, '13000000000')).toEqual([]);
    expect(primaryParty([])).toMatchObject({ partyKind: 'unknown', elderId: null });
  });

  it('a number shared by two elders gives both, and the call is filed as unknown until the agent chooses', async () => {
    const a = await createElder(s.ctx, TREE.communityB1, { name: '张德明', phone: '02788886666' });
    const b = await createElder(s.ctx, TREE.communityB1, { name: '张刘氏', phone: '02788886666' });
    const m = await matchParty(s.ctx.db, s.ctx.cipher, '027-8888 6666');
    expect(m.map((x) => x.elderId).sort()).toEqual([a.id, b.id].sort());
    expect(primaryParty(m).partyKind).toBe('unknown');
  });
});

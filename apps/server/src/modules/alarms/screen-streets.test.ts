import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { createDevice } from '../../testing/safety.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { raiseAlarm } from './raise.service.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
});
afterAll(() => s.close());

describe('big screen per street', () => {
  it('counts only life-safety alarms per street; 设备离线 is counted by type, apart', async () => {
    const elder = await createElder(s.ctx, TREE.communityA1);
    const raise = async (type: string, priority: 'P1' | 'P3', n: number) => {
      for (let i = 0; i < n; i++) {
        const device = await createDevice(s.ctx, { elderId: elder.id, type: 'fall_radar' });
        await s.ctx.db.transaction((tx) =>
          raiseAlarm(s.ctx, tx, {
            type: type as never,
            priority,
            mergeKey: `${type}:${device.id}`,
            elderId: elder.id,
            deviceId: device.id,
            regionCode: TREE.communityA1,
            at: new Date(),
          }),
        );
      }
    };
    await raise('fall', 'P1', 2);
    await raise('device_offline', 'P3', 5);
    const { api } = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
    const screen = (await api.get('/api/v1/alarms/screen')).json();
    expect(screen.todayByStreet).toEqual([{ regionCode: TREE.streetA, name: '甲街道', count: 2 }]);
    expect(screen.todayByType).toEqual(
      expect.arrayContaining([
        { type: 'device_offline', count: 5 },
        { type: 'fall', count: 2 },
      ]),
    );
    expect(screen.openByCommunity).toEqual([expect.objectContaining({ regionCode: TREE.communityA1, count: 2 })]);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.ts';
import { geocoderFor, tiandituGeocoder } from './geocoder.ts';

// A local fake of the 天地图 geocoder (http://api.tianditu.gov.cn/geocoder?ds={"keyWord":…}&tk=…):
// the answers below are the shapes the real service sends. Tests never call the internet.
let fake: Server;
let url: string;
const seen: URL[] = [];
beforeAll(async () => {
  fake = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://fake');
    seen.push(u);
    const { keyWord } = JSON.parse(u.searchParams.get('ds') ?? '{}') as { keyWord?: string };
    if (keyWord === '慢') return; // never answers
    if (keyWord === '坏') {
      res.statusCode = 500;
      return res.end('oops');
    }
    res.setHeader('content-type', 'application/json');
    if (keyWord === '北京市延庆区延庆镇莲花池村前街50夕阳红养老院') {
      return res.end(
        JSON.stringify({
          msg: 'ok',
          location: { score: 100, level: '门址', lon: 116.00000356719, lat: 40.461189419034, keyWord },
          searchVersion: '6.4.9V',
          status: '0',
        }),
      );
    }
    if (keyWord === '乱') return res.end(JSON.stringify({ status: '0', location: { lon: 'x', lat: 95 } }));
    res.end(JSON.stringify({ msg: '无结果', status: '101', searchVersion: '6.4.9V' }));
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/geocoder`;
});
afterAll(() => new Promise((r) => fake.close(r)));

describe('天地图 geocoder', () => {
  it('sends the address as ds={"keyWord":…} with the key and answers the point in 6 decimals', async () => {
    const g = tiandituGeocoder('tk-1', url);
    const hits = await g.lookup('北京市延庆区延庆镇莲花池村前街50夕阳红养老院');
    expect(hits).toEqual([{ lat: 40.461189, lng: 116.000004, label: '北京市延庆区延庆镇莲花池村前街50夕阳红养老院 · 门址' }]);
    const asked = seen.at(-1);
    expect(asked?.pathname).toBe('/geocoder');
    expect(asked?.searchParams.get('tk')).toBe('tk-1');
    expect(JSON.parse(asked?.searchParams.get('ds') ?? '')).toEqual({ keyWord: '北京市延庆区延庆镇莲花池村前街50夕阳红养老院' });
  });

  it('answers nothing found for a status other than 0 and for a location that is not a point', async () => {
    const g = tiandituGeocoder('tk-1', url);
    expect(await g.lookup('火星')).toEqual([]);
    expect(await g.lookup('乱')).toEqual([]);
  });

  it('turns an HTTP error and a timeout into a 502 geocoder-failed without the address or key', async () => {
    const g = tiandituGeocoder('tk-secret', url, 300);
    for (const address of ['坏', '慢']) {
      const err = await g.lookup(address).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(502);
      expect((err as AppError).code).toBe('geocoder-failed');
      expect((err as AppError).message).not.toMatch(/tk-secret|坏|慢/);
    }
  });

  it('is none unless GEOCODER=tianditu with a key; none refuses with geocoder-unavailable', async () => {
    expect(geocoderFor({ geocoder: 'none' }).name).toBe('none');
    expect(geocoderFor({ geocoder: 'tianditu' }).name).toBe('none');
    expect(geocoderFor({ geocoder: 'tianditu', geocoderKey: 'k', geocoderUrl: url }).name).toBe('tianditu');
    const err = await geocoderFor({})
      .lookup('x')
      .catch((e: unknown) => e);
    expect((err as AppError).code).toBe('geocoder-unavailable');
  });
});

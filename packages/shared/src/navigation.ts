/**
 * The navigation link of the worker's and the responder's phone pages (导航): built from the
 * elder's coordinates (WGS-84) and address by a URL template, NAVIGATION_URL on the server.
 * Placeholders: {lat} {lng} {name} {address} (the last two URL-encoded). The default is the
 * standard geo: URI, which Android hands to whatever map app is installed; a district whose
 * workers use one app sets its scheme, e.g.
 *   AMap (高德):    https://uri.amap.com/marker?position={lng},{lat}&name={name}&coordinate=wgs84&callnative=1
 *   Baidu (百度):   baidumap://map/marker?location={lat},{lng}&title={name}&coord_type=wgs84&src=zhiyang
 *   Tencent (腾讯): https://apis.map.qq.com/uri/v1/marker?marker=coord:{lat},{lng};title:{name}&referer=zhiyang
 * (Tencent's marker takes GCJ-02; WGS-84 is off by a few hundred metres there.) Without
 * coordinates the link searches the address: geo:0,0?q=<address>.
 */
export const DEFAULT_NAVIGATION_URL = 'geo:{lat},{lng}?q={lat},{lng}({name})';

export function navigationUrl(
  template: string,
  p: { lat: number | null; lng: number | null; name?: string | null; address?: string | null },
): string | null {
  if (p.lat != null && p.lng != null)
    return template
      .replaceAll('{lat}', String(p.lat))
      .replaceAll('{lng}', String(p.lng))
      .replaceAll('{name}', encodeURIComponent(p.name ?? ''))
      .replaceAll('{address}', encodeURIComponent(p.address ?? ''));
  return p.address ? `geo:0,0?q=${encodeURIComponent(p.address)}` : null;
}

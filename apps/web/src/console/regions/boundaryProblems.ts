import type { TFunction } from 'i18next';

/** The server's messages say `中文 / English`: the half in the console's language. */
export function problemHalf(message: string, language: string): string {
  const parts = message.split(/\s?\/ (?=[A-Za-z"])/);
  if (parts.length < 2) return message;
  return language.startsWith('en') ? parts.slice(1).join(' / ') : parts[0];
}

/** `body.features[3].geometry.coordinates[0][2]` → 第 4 个要素 · 坐标 [0][2]. */
export function placeText(path: string, t: TFunction): string {
  const out: string[] = [];
  const feature = /features\[(\d+)\]/.exec(path);
  if (feature) out.push(t('map.boundaries.feature', { n: Number(feature[1]) + 1 }));
  const coords = /coordinates((?:\[\d+\])*)/.exec(path);
  if (coords) out.push(coords[1] ? t('map.boundaries.position', { at: coords[1] }) : t('map.boundaries.coordinates'));
  else if (/\.type$/.test(path)) out.push(t('map.boundaries.geometryType'));
  else if (/geometry$/.test(path)) out.push(t('map.boundaries.geometry'));
  return out.join(' · ') || t('map.boundaries.wholeFile');
}

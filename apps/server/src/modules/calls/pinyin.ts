import { pinyin } from 'pinyin-pro';

/**
 * Pinyin initials of an article title, for the knowledge base's search (高龄津贴 → gljt), with the
 * same library and options as the elder archive's name pinyin (`elders.fields.ts` namePinyin),
 * except the surname mode: a title is not a name, so 单 in 单位 is dan, not shan. Latin letters
 * and digits in a title are kept whole (12349热线 → 12349rx); everything else is dropped.
 */
export function titleInitials(title: string): string {
  const parts = pinyin(title, { toneType: 'none', type: 'all', v: true, nonZh: 'consecutive' });
  return parts
    .map((p) => {
      const clean = (p.isZh ? p.pinyin : p.origin).toLowerCase().replace(/[^a-z0-9]/g, '');
      return p.isZh ? clean.slice(0, 1) : clean;
    })
    .join('');
}

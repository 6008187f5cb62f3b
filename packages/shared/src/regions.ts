/**
 * Administrative region codes (GB/T 2260 and the statistics bureau's 12-digit codes):
 * district 6 digits, street/town 9 digits, community/village 12 digits. A child's code
 * starts with its parent's code, so a subtree is a code prefix.
 */
export const REGION_LEVELS = ['district', 'street', 'community'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export const REGION_LEVEL_LABELS_ZH: Record<RegionLevel, string> = {
  district: '区',
  street: '街道/镇',
  community: '社区/村',
};

const CODE_LENGTH: Record<RegionLevel, number> = { district: 6, street: 9, community: 12 };

export function regionLevelOf(code: string): RegionLevel | null {
  if (!/^\d+$/.test(code)) return null;
  switch (code.length) {
    case 6:
      return 'district';
    case 9:
      return 'street';
    case 12:
      return 'community';
    default:
      return null;
  }
}

/** The code a region's parent must have, or null for a district. */
export function parentCodeOf(code: string): string | null {
  const level = regionLevelOf(code);
  if (level === 'street') return code.slice(0, CODE_LENGTH.district);
  if (level === 'community') return code.slice(0, CODE_LENGTH.street);
  return null;
}

/** Is `code` inside the subtree rooted at `scopeCode` (itself included)? */
export function inRegionScope(code: string | null | undefined, scopeCode: string): boolean {
  return typeof code === 'string' && code.startsWith(scopeCode);
}

export function expectedCodeLength(level: RegionLevel): number {
  return CODE_LENGTH[level];
}

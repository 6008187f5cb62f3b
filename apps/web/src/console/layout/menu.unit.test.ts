import { ROLE_PERMISSIONS, ROLES } from '@zhiyang/shared';
import type { MenuProps } from 'antd';
import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { buildMenu, selectedMenuKey } from './menu.tsx';

const t = ((key: string) => key) as unknown as TFunction;

function pages(items: NonNullable<MenuProps['items']>): string[] {
  return items.flatMap((i) => {
    if (!i) return [];
    const own = typeof i.key === 'string' && i.key.startsWith('/console') ? [i.key] : [];
    const children = 'children' in i && i.children ? pages(i.children as NonNullable<MenuProps['items']>) : [];
    return [...own, ...children];
  });
}

describe('the side menu highlights the page shown', () => {
  for (const role of ROLES) {
    it(`${role}: every page of its menu, and the records under it, highlight their own entry`, () => {
      const items = buildMenu(ROLE_PERMISSIONS[role], t, role);
      for (const page of pages(items)) {
        expect(selectedMenuKey(page, items), page).toBe(page);
        // A record opened from the page (an elder's archive, a campaign) keeps the page highlighted.
        expect(selectedMenuKey(`${page}/0f3c2a9e`, items), `${page}/…`).toBe(page);
      }
    });
  }

  it('a path outside the menu highlights the home page, and a longer page wins over its prefix', () => {
    const items = buildMenu(ROLE_PERMISSIONS.district_admin, t, 'district_admin');
    expect(selectedMenuKey('/console/no-such-page', items)).toBe('/console');
    expect(selectedMenuKey('/console/credit/listings', items)).toBe('/console/credit/listings');
    expect(selectedMenuKey('/console/care/groups', items)).toBe('/console/care/groups');
  });
});

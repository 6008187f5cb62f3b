import type { CSSProperties } from 'react';

/** The kiosk's sizes: type of at least 22 px, touch targets of at least 56 px (a cheap tablet, older hands). */
export const FONT = 24;
export const TARGET = 64;
export const BRAND = '#0f7b6c';

export const bigButton: CSSProperties = { height: TARGET, minWidth: 160, fontSize: 26, borderRadius: 12, padding: '0 28px' };
export const panel: CSSProperties = {
  background: '#fff',
  borderRadius: 16,
  padding: 24,
  boxShadow: '0 2px 8px rgba(0,0,0,0.06)',
};

/** Fen as yuan with two decimals (500 → "5.00"). */
export const yuan = (fen: number) => (fen / 100).toFixed(2);

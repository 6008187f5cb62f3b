/** Shapes of the service-loop API answers (see the server's route schemas). */
export type { Page } from '../../app/types.ts';

export const yuan = (fen: number) => (fen / 100).toFixed(2);
export const newKey = () => globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;

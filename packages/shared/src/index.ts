// First, before any schema is built (see zod-setup.ts).
import './zod-setup.ts';

export * from './assessment.ts';
export * from './contracts/index.ts';
export * from './credit-code.ts';
export * from './dates.ts';
export * from './elders.ts';
export * from './geo.ts';
export * from './html.ts';
export * from './id-number.ts';
export * from './navigation.ts';
export * from './organizations.ts';
export * from './password.ts';
export * from './realtime.ts';
export * from './regions.ts';
export * from './roles.ts';
export * from './safety.ts';
export * from './service.ts';

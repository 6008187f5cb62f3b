export * from './organizations.ts';
export * from './password.ts';
export * from './realtime.ts';
export * from './regions.ts';
export * from './roles.ts';
export * from './assessment.ts';
export * from './elders.ts';
export * from './id-number.ts';

export * from './catalogue.ts';
export * from './common.ts';
export * from './dates.ts';
export * from './events.ts';
export * from './problems.ts';
export * from './route.ts';

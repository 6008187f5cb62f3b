/** Moved to lib/access.ts (the one access layer); kept so imports can move one module at a time. */
export { actorCoversRegion, escapeLike, isRegionScoped, regionScope } from './access.ts';

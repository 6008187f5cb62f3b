import { defineModule } from '../module.ts';
import { startAuditSealer } from './audit.chain.ts';
import { auditRoutes } from './audit.routes.ts';

export const auditModule = defineModule({
  name: 'audit',
  routes: auditRoutes,
  // Chains the rows writers insert unchained; every worker runs it, one at a time seals.
  listeners: [{ name: 'audit.sealer', role: 'worker', start: startAuditSealer }],
});

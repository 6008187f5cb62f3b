import { auditContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** The audit trail (审计日志): `auditApi.searchAudit({ query })`, `auditApi.verifyChain()`. */
export const auditApi = createApi(auditContract);

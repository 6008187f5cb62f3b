import { defineModule } from '../module.ts';
import { safetyJobs } from './alarms.jobs.ts';
import { alarmRoutes } from './alarms.routes.ts';
import { safetyRuleRoutes } from './safety-rules.routes.ts';
import { sosRoutes } from './sos.routes.ts';

export const alarmsModule = defineModule({
  name: 'alarms',
  async routes(app, opts) {
    await app.register(alarmRoutes, opts);
    await app.register(safetyRuleRoutes, opts);
    await app.register(sosRoutes, opts);
  },
  jobs: safetyJobs,
});

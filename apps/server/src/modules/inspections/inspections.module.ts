import { defineModule } from '../module.ts';
import { inspectionRoutes } from './inspections.routes.ts';

/**
 * Inspections and grading 检查评级 (issue 19): checklists as data, rounds, self-assessment and the
 * assessor's scores side by side, findings → rectification → re-check, grades, operating status,
 * the public list of graded institutions. Reads institutions' beds, admissions and care records.
 */
export const inspectionsModule = defineModule({
  name: 'inspections',
  routes: inspectionRoutes,
});

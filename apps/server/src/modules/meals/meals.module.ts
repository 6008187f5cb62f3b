import { defineModule } from '../module.ts';
import { mealJobs } from './meals.jobs.ts';
import { mealRoutes } from './meals.routes.ts';
import { mealsTimeline } from './meals.timeline.ts';

/** Meal assistance 助餐 (issue 16): canteens, menus, meals with the subsidy per meal (docs/meals.md). */
export const mealsModule = defineModule({
  name: 'meals',
  routes: mealRoutes,
  jobs: mealJobs,
  timeline: [mealsTimeline],
});

import { gatewayModule } from '../gateway/gateway.module.ts';
import type { JobDefinition } from '../jobs/job.ts';
import type { AppContext } from '../lib/context.ts';
import { alarmsModule } from './alarms/alarms.module.ts';
import { allowancesModule } from './allowances/allowances.module.ts';
import { allowanceSurvivalModule } from './allowances/survival.module.ts';
import { assessmentsModule } from './assessments/assessments.module.ts';
import { auditModule } from './audit/audit.module.ts';
import { authModule } from './auth/auth.module.ts';
import { callsModule } from './calls/calls.module.ts';
import { campaignsModule } from './campaigns/campaigns.module.ts';
import { careVisitsModule } from './care-visits/care-visits.module.ts';
import { catalogueModule } from './catalogue/catalogue.module.ts';
import { creditModule } from './credit/credit.module.ts';
import { dataExchangeModule } from './data-exchange/data-exchange.module.ts';
import { brokerSyncModule } from './devices/broker-sync/broker-sync.module.ts';
import { devicesModule } from './devices/devices.module.ts';
import { eldersModule } from './elders/elders.module.ts';
import { registerTimelineSource } from './elders/timeline.ts';
import { facesModule } from './faces/faces.module.ts';
import { familyBedsModule } from './family-beds/family-beds.module.ts';
import { familySafetyModule } from './family-safety/family-safety.module.ts';
import { healthModule } from './health/health.module.ts';
import { healthRecordsModule } from './health-records/health-records.module.ts';
import { inspectionsModule } from './inspections/inspections.module.ts';
import { institutionsModule } from './institutions/institutions.module.ts';
import { mealsModule } from './meals/meals.module.ts';
import { medicalModule } from './medical/medical.module.ts';
import { metricsModule } from './metrics/metrics.module.ts';
import type { ModuleDefinition, Role } from './module.ts';
import { notificationsModule } from './notifications/notifications.module.ts';
import { ordersModule } from './orders/orders.module.ts';
import { organizationsModule } from './organizations/organizations.module.ts';
import { patrolsModule } from './patrols/patrols.module.ts';
import { policiesModule } from './policies/policies.module.ts';
import { privilegeCardsModule } from './privilege-cards/privilege-cards.module.ts';
import { providersModule } from './providers/providers.module.ts';
import { regionsModule } from './regions/regions.module.ts';
import { respondersModule } from './responders/responders.module.ts';
import { riskRadarModule } from './risk-radar/risk-radar.module.ts';
import { settlementsModule } from './settlements/settlements.module.ts';
import { statisticsModule } from './statistics/statistics.module.ts';
import { supervisionModule } from './supervision/supervision.module.ts';
import { usersModule } from './users/users.module.ts';
import { volunteersModule } from './volunteers/volunteers.module.ts';
import { walletsModule } from './wallets/wallets.module.ts';

/**
 * Every module of the platform, in route-registration order. app.ts registers their routes and
 * main.ts starts their jobs and listeners, each per ROLES. A new module adds one line here
 * (docs/adding-a-module.md).
 */
export const modules: readonly ModuleDefinition[] = [
  // Platform
  healthModule,
  metricsModule,
  authModule,
  regionsModule,
  organizationsModule,
  usersModule,
  auditModule,
  // Elders and assessments (issue 3)
  eldersModule,
  assessmentsModule,
  // Service loop (issue 4)
  providersModule,
  catalogueModule,
  policiesModule,
  walletsModule,
  ordersModule,
  settlementsModule,
  // Safety loop (issue 5)
  gatewayModule,
  devicesModule,
  brokerSyncModule,
  alarmsModule,
  respondersModule,
  notificationsModule,
  familySafetyModule,
  // Call centre (issue 14)
  callsModule,
  campaignsModule,
  // High-age allowance (issue 17)
  allowancesModule,
  allowanceSurvivalModule,
  // Face identity (issue 16)
  facesModule,
  // Meal assistance (issue 16)
  mealsModule,
  // Senior citizen preferential card 老年人优待证 (issue 17)
  privilegeCardsModule,
  // Institutions 机构养老 (issue 19)
  institutionsModule,
  // 智慧安防 patrols and the colour risk map (issue 19)
  patrolsModule,
  inspectionsModule,
  // Special groups and 关爱巡访 care visits (issue 18)
  careVisitsModule,
  // Risk radar 风险雷达 (issue 18)
  riskRadarModule,
  // Health record 健康档案 and 长护险 (issue 20)
  healthRecordsModule,
  // 医养结合: family doctors, home visits, 家庭病床, referrals (issue 20)
  medicalModule,
  // Credit 信用 and public disclosure 信息公开 (issue 21)
  creditModule,
  // Family care beds 家庭养老照护床位 (issue 18)
  familyBedsModule,
  // Volunteers and the time bank 志愿者与时间银行 (issue 18)
  volunteersModule,
  // Supervision 综合监管: dashboards by district, street and community (issue 21)
  supervisionModule,
  // Statistics 统计: monthly report 月报 and ad-hoc statistics 自定义统计 (issue 21)
  statisticsModule,
  // Data exchange 数据交换 with the provincial / national systems (issue 21)
  dataExchangeModule,
];

/** The modules whose routes a process with these roles serves: all for `web`, else health only. */
export function routeModulesFor(roles: ReadonlySet<Role>): ModuleDefinition[] {
  return modules.filter((m) => m.routes && (roles.has('web') || m.routesIn === 'every-role'));
}

/** Every module's contributions to the elder's 360° timeline (read by the elders module). */
export function registerTimelineSources(): void {
  for (const source of modules.flatMap((m) => m.timeline ?? [])) registerTimelineSource(source);
}

/** Every job of every module (the worker role works them). */
export const jobDefinitions: readonly JobDefinition[] = modules.flatMap((m) => m.jobs ?? []);

/** Start the listeners of the given roles; returns the function that stops them all. */
export function startListeners(ctx: AppContext, roles: ReadonlySet<Role>): () => void {
  const stops = modules
    .flatMap((m) => m.listeners ?? [])
    .filter((l) => roles.has(l.role))
    .map((l) => l.start(ctx));
  return () => {
    for (const stop of stops) stop();
  };
}

// Every table of the one PostgreSQL schema, gathered from the modules that own them.
// Migrations (migrations/*.sql) are the source of truth; these definitions must match them.

export * from '../lib/idempotency.schema.ts';
export * from '../modules/alarms/alarms.schema.ts';
export * from '../modules/allowances/allowances.schema.ts';
export * from '../modules/allowances/back-office.schema.ts';
export * from '../modules/allowances/survival.schema.ts';
export * from '../modules/assessments/assessments.schema.ts';
export * from '../modules/audit/audit.schema.ts';
export * from '../modules/auth/auth.schema.ts';
export * from '../modules/auth/sms.schema.ts';
export * from '../modules/calls/calls.schema.ts';
export * from '../modules/campaigns/campaigns.schema.ts';
export * from '../modules/care-visits/care-visits.schema.ts';
export * from '../modules/catalogue/catalogue.schema.ts';
export * from '../modules/credit/credit.schema.ts';
export * from '../modules/devices/devices.schema.ts';
export * from '../modules/elders/elders.schema.ts';
export * from '../modules/faces/faces.schema.ts';
export * from '../modules/family-beds/family-beds.schema.ts';
export * from '../modules/health-records/health-records.schema.ts';
export * from '../modules/inspections/inspections.schema.ts';
export * from '../modules/institutions/institutions.schema.ts';
export * from '../modules/meals/meals.schema.ts';
export * from '../modules/medical/medical.schema.ts';
export * from '../modules/orders/orders.schema.ts';
export * from '../modules/organizations/organizations.schema.ts';
export * from '../modules/patrols/patrols.schema.ts';
export * from '../modules/policies/policies.schema.ts';
export * from '../modules/privilege-cards/privilege-cards.schema.ts';
export * from '../modules/providers/providers.schema.ts';
export * from '../modules/regions/regions.schema.ts';
export * from '../modules/risk-radar/risk-radar.schema.ts';
export * from '../modules/settlements/settlements.schema.ts';
export * from '../modules/users/users.schema.ts';
export * from '../modules/volunteers/volunteers.schema.ts';
export * from '../modules/wallets/ledger.schema.ts';

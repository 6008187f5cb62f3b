import type { PolicyConditions } from '@zhiyang/shared';
import { type SQL, sql } from 'drizzle-orm';

// The conditions' schema is part of the shared policies contract.
export type { PolicyConditions } from '@zhiyang/shared';

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** The conditions as SQL over `elders e` on the reference day `refDate` (YYYY-MM-DD), within `regionCode`. */
export function conditionsSql(c: PolicyConditions, regionCode: string, refDate: string): SQL {
  const parts: SQL[] = [sql`e.region_code LIKE ${`${regionCode}%`}`];
  parts.push(sql`e.status IN (${list(c.statuses ?? ['active', 'in_hospital'])})`);
  if (c.minAge !== undefined)
    parts.push(sql`e.birth_date <= (${refDate}::date - make_interval(years => ${c.minAge}::int))::date`);
  if (c.maxAge !== undefined)
    parts.push(sql`e.birth_date > (${refDate}::date - make_interval(years => ${c.maxAge + 1}::int))::date`);
  if (c.hukouLocal !== undefined) parts.push(sql`e.hukou_local = ${c.hukouLocal}`);
  if (c.categoriesAny) parts.push(sql`e.categories && ARRAY[${list(c.categoriesAny)}]::text[]`);
  if (c.livingSituations) parts.push(sql`e.living_situation IN (${list(c.livingSituations)})`);
  if (c.abilityLevels) parts.push(sql`e.ability_level IN (${list(c.abilityLevels)})`);
  return sql.join(parts, sql` AND `);
}

/** A one-line description for the console and the audit log. */
export function describeConditions(c: PolicyConditions): string {
  const out: string[] = [];
  if (c.minAge !== undefined) out.push(`age ≥ ${c.minAge}`);
  if (c.maxAge !== undefined) out.push(`age ≤ ${c.maxAge}`);
  if (c.hukouLocal !== undefined) out.push(c.hukouLocal ? 'local hukou' : 'non-local hukou');
  if (c.categoriesAny) out.push(`category in ${c.categoriesAny.join('/')}`);
  if (c.livingSituations) out.push(`living ${c.livingSituations.join('/')}`);
  if (c.abilityLevels) out.push(`ability ${c.abilityLevels.join('/')}`);
  return out.join(', ') || 'every elder';
}

import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';

/** The kiosk's elder lookup: SQL only. */

export interface KioskElderRow {
  id: string;
  name: string;
  sex: 'male' | 'female';
  birth_date: string | Date;
  community_name: string;
}

/** What identifies the elder: one of the archive's blind indexes, the ids a QR card may stand for, or the name. */
export type KioskKey =
  | { kind: 'idHash'; hash: string }
  | { kind: 'idTail4'; hash: string }
  | { kind: 'phoneTail4'; hash: string }
  | { kind: 'tail4'; idHash: string; phoneHash: string }
  | { kind: 'phoneHash'; hash: string }
  | { kind: 'ids'; ids: string[] }
  | { kind: 'name'; text: string };

function keyFilter(k: KioskKey): SQL {
  switch (k.kind) {
    case 'idHash':
      return sql`e.id_number_hash = ${k.hash}`;
    case 'idTail4':
      return sql`e.id_tail4_hash = ${k.hash}`;
    case 'phoneTail4':
      return sql`e.phone_tail4_hash = ${k.hash}`;
    case 'tail4':
      return sql`(e.id_tail4_hash = ${k.idHash} OR e.phone_tail4_hash = ${k.phoneHash})`;
    case 'phoneHash':
      return sql`e.phone_hash = ${k.hash}`;
    case 'ids':
      return k.ids.length
        ? sql`e.id IN (${sql.join(
            k.ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`
        : sql`false`;
    case 'name':
      return /^[a-z]+$/.test(k.text)
        ? sql`(e.name_pinyin LIKE ${`${k.text}%`} OR e.name_initials LIKE ${`${k.text}%`})`
        : sql`e.name LIKE ${`%${k.text.replace(/[%_\\]/g, '\\$&')}%`}`;
  }
}

const served = (canteenId: string) =>
  sql`EXISTS (SELECT 1 FROM canteens c WHERE c.org_id = ${canteenId}::uuid
        AND e.region_code = ANY (c.communities || c.delivery_communities))
      AND e.status IN ('active', 'in_hospital')`;

/** The ids of the elders the canteen serves (for matching a QR card, whose code is a keyed hash of the id). */
export async function servedElderIds(db: DbOrTx, actor: Actor, canteenId: string) {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT e.id FROM elders e WHERE ${served(canteenId)} AND ${elderVisibleTo(actor, sql.raw('e.id'), sql.raw('e.region_code'))}`,
  );
  return rows.map((r) => r.id);
}

/** At most `limit` elders the canteen serves and the actor sees, matching the key, by name. */
export async function findServedElders(db: DbOrTx, actor: Actor, canteenId: string, key: KioskKey, limit = 10) {
  return queryRows<KioskElderRow>(
    db,
    sql`SELECT e.id, e.name, e.sex, e.birth_date, r.name AS community_name
        FROM elders e JOIN regions r ON r.code = e.region_code
        WHERE ${served(canteenId)} AND ${elderVisibleTo(actor, sql.raw('e.id'), sql.raw('e.region_code'))}
          AND ${keyFilter(key)}
        ORDER BY e.name, e.birth_date LIMIT ${limit}`,
  );
}

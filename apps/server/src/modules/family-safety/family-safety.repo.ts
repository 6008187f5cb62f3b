import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';

/**
 * The elder a family account is bound to (through an invite code), with the blind index of the
 * account's phone (and its plain text if the backfill has not yet encrypted it, users.phone.ts).
 */
export async function familyLink(db: DbOrTx, userId: string) {
  const [u] = await queryRows<{ elder_id: string | null; phone_hash: string | null; plain_phone: string | null }>(
    db,
    sql`SELECT elder_id, phone_hash, phone AS plain_phone FROM users WHERE id = ${userId} AND role = 'family' AND status = 'active'`,
  );
  return u ?? null;
}

export async function elderBrief(db: DbOrTx, elderId: string) {
  const [e] = await queryRows<{ id: string; name: string; region_code: string }>(
    db,
    sql`SELECT id, name, region_code FROM elders WHERE id = ${elderId}`,
  );
  return e ?? null;
}

/** Open alarms of the elder, who holds each, and the latest responder dispatch. */
export function openAlarms(db: DbOrTx, elderId: string) {
  return queryRows<{
    id: string;
    type: string;
    priority: string;
    status: string;
    raised_at: Date;
    acknowledged_at: Date | null;
    holder_name: string | null;
    responder_name: string | null;
    responder_status: string | null;
  }>(
    db,
    sql`
    SELECT a.id, a.type, a.priority, a.status, a.raised_at, a.acknowledged_at, h.display_name AS holder_name,
           d.responder_name, d.status AS responder_status
    FROM alarms a
    LEFT JOIN users h ON h.id = a.acknowledged_by
    LEFT JOIN LATERAL (
      SELECT r.display_name AS responder_name, x.status FROM alarm_dispatches x JOIN users r ON r.id = x.responder_id
      WHERE x.alarm_id = a.id AND x.status NOT IN ('declined', 'withdrawn') ORDER BY x.offered_at DESC LIMIT 1
    ) d ON true
    WHERE a.elder_id = ${elderId} AND a.open
    ORDER BY a.priority, a.raised_at`,
  );
}

/** Alarms closed in the last 30 days, newest first. */
export function closedAlarms(db: DbOrTx, elderId: string, limit: number) {
  return queryRows<{
    id: string;
    type: string;
    priority: string;
    raised_at: Date;
    resolved_at: Date | null;
    outcome: string | null;
  }>(
    db,
    sql`
    SELECT id, type, priority, raised_at, resolved_at, outcome FROM alarms
    WHERE elder_id = ${elderId} AND NOT open AND raised_at > now() - interval '30 days'
    ORDER BY raised_at DESC LIMIT ${limit}`,
  );
}

export function elderDevices(db: DbOrTx, elderId: string) {
  return queryRows<{
    id: string;
    type: string;
    online: boolean;
    battery: number | null;
    worn: boolean | null;
    worn_changed_at: Date | null;
    last_seen_at: Date | null;
  }>(
    db,
    sql`SELECT id, type, online, battery, worn, worn_changed_at, last_seen_at FROM devices
        WHERE elder_id = ${elderId} AND status = 'active' ORDER BY type, id`,
  );
}

/** Notices about the elder sent to the contact whose phone is this account's (by blind index). */
export function noticesTo(db: DbOrTx, elderId: string, phoneHash: string, limit: number) {
  return queryRows<{ id: string; reason: string; body: string; status: string; created_at: Date; read_at: Date | null }>(
    db,
    sql`
    SELECT n.id, n.reason, n.body, n.status, n.created_at, n.read_at
    FROM notifications n JOIN elder_contacts c ON c.id = n.contact_id
    WHERE n.elder_id = ${elderId} AND c.phone_hash = ${phoneHash}
    ORDER BY n.created_at DESC LIMIT ${limit}`,
  );
}

/** Mark one notice read if it is addressed to this phone; returns its elder's region, or null. */
export async function markNoticeRead(db: DbOrTx, id: string, elderId: string, phoneHash: string) {
  const [n] = await queryRows<{ region_code: string | null }>(
    db,
    sql`
    UPDATE notifications n SET read_at = coalesce(n.read_at, now())
    FROM elder_contacts c
    WHERE n.id = ${id} AND n.elder_id = ${elderId} AND c.id = n.contact_id AND c.phone_hash = ${phoneHash}
    RETURNING n.region_code`,
  );
  return n ?? null;
}

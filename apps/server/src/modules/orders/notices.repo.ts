import { ROLE_PERMISSIONS, type Role } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';

const rolesWith = (action: string) =>
  (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((r) => (ROLE_PERMISSIONS[r] as readonly string[]).includes(action));

export interface Recipient {
  id: string;
  username: string;
  display_name: string;
}

/** Active region staff whose region covers `regionCode` and whose role may do `action`. */
export async function regionStaff(db: DbOrTx, regionCode: string, action: string) {
  return queryRows<Recipient>(
    db,
    sql`
    SELECT id, username, display_name FROM users
    WHERE status = 'active' AND role IN ${rolesWith(action)} AND region_code IS NOT NULL
      AND ${regionCode} LIKE region_code || '%'`,
  );
}

/** Active administrators of a provider organisation. */
export async function providerAdmins(db: DbOrTx, orgId: string) {
  return queryRows<Recipient>(
    db,
    sql`SELECT id, username, display_name FROM users WHERE status = 'active' AND org_id = ${orgId} AND role = 'provider_admin'`,
  );
}

/** Open complaints whose follow-up deadline has passed. */
export async function overdueComplaints(db: DbOrTx, now: Date) {
  return queryRows<{
    id: string;
    region_code: string;
    provider_id: string | null;
    due_at: Date | string;
    order_no: string;
    elder_name: string;
  }>(
    db,
    sql`
    SELECT c.id, c.region_code, c.provider_id, c.due_at, o.no AS order_no, e.name AS elder_name
    FROM service_complaints c JOIN service_orders o ON o.id = c.order_id JOIN elders e ON e.id = c.elder_id
    WHERE c.status = 'open' AND c.due_at < ${now.toISOString()}::timestamptz
    ORDER BY c.due_at LIMIT 1000`,
  );
}

export interface ExpiryRow {
  id: string;
  org_id: string;
  provider_name: string;
  region_code: string;
  what: string;
  label: string;
  valid_until: string;
}

/**
 * Licences and staff certificates that expire within `days` of `today`, or expired in the last
 * `days` (older ones were noticed when they expired). `what` is licence, care_cert or health_cert.
 */
export async function expiringDocuments(db: DbOrTx, today: string, days: number) {
  const lo = sql`(${today}::date - ${days}::int)`;
  const hi = sql`(${today}::date + ${days}::int)`;
  return queryRows<ExpiryRow>(
    db,
    sql`
    SELECT l.id, l.org_id, o.name AS provider_name, o.region_code, 'licence' AS what, l.kind || ' ' || l.number AS label,
           to_char(l.valid_until, 'YYYY-MM-DD') AS valid_until
    FROM provider_licences l JOIN organizations o ON o.id = l.org_id
    WHERE l.valid_until BETWEEN ${lo} AND ${hi}
    UNION ALL
    SELECT s.user_id, s.org_id, o.name, o.region_code, 'care_cert', s.name, to_char(s.care_cert_valid_until, 'YYYY-MM-DD')
    FROM provider_staff s JOIN organizations o ON o.id = s.org_id
    WHERE s.active AND s.care_cert_valid_until BETWEEN ${lo} AND ${hi}
    UNION ALL
    SELECT s.user_id, s.org_id, o.name, o.region_code, 'health_cert', s.name, to_char(s.health_cert_valid_until, 'YYYY-MM-DD')
    FROM provider_staff s JOIN organizations o ON o.id = s.org_id
    WHERE s.active AND s.health_cert_valid_until BETWEEN ${lo} AND ${hi}`,
  );
}

/**
 * Address one notice to one user, once per `key`: the key row is written first (ON CONFLICT DO
 * NOTHING), and only a new key creates the outbox row. Returns whether it was new.
 */
export async function insertNotice(
  tx: DbOrTx,
  n: {
    key: string;
    notificationId: string;
    user: Recipient;
    recipientEnc: string;
    reason: string;
    subjectType: string;
    subjectId: string;
    providerId: string | null;
    body: string;
  },
) {
  const fresh = await queryRows<{ dedupe_key: string }>(
    tx,
    sql`
    INSERT INTO service_notices (dedupe_key, user_id, notification_id, reason, subject_type, subject_id, provider_id)
    VALUES (${n.key}, ${n.user.id}, ${n.notificationId}, ${n.reason}, ${n.subjectType}, ${n.subjectId}, ${n.providerId})
    ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key`,
  );
  if (!fresh.length) return false;
  // In-app notices are delivered by being in the outbox: no region or elder (they are for this
  // user only, not for the region's alarm desk or a family), status sent.
  await tx.execute(sql`
    INSERT INTO notifications (id, reason, channel, recipient_enc, recipient_masked, body, status, sent_at)
    VALUES (${n.notificationId}, ${n.reason}, 'console', ${n.recipientEnc}, ${n.user.display_name}, ${n.body}, 'sent', now())`);
  return true;
}

/** A user's own notices, newest first, optionally of some reasons only, optionally unread only. */
export async function inbox(db: DbOrTx, userId: string, reasons: string[] | null, limit: number, unreadOnly = false) {
  return queryRows<{
    id: string;
    reason: string;
    subject_type: string;
    subject_id: string;
    provider_id: string | null;
    body: string;
    created_at: Date;
    read_at: Date | null;
  }>(
    db,
    sql`
    SELECT n.id, sn.reason, sn.subject_type, sn.subject_id, sn.provider_id, n.body, n.created_at, n.read_at
    FROM service_notices sn JOIN notifications n ON n.id = sn.notification_id
    WHERE sn.user_id = ${userId} ${reasons ? sql`AND sn.reason IN ${reasons}` : sql``}
      ${unreadOnly ? sql`AND n.read_at IS NULL` : sql``}
    ORDER BY sn.created_at DESC LIMIT ${limit}`,
  );
}

/** Mark one of the user's own notices read (the first time only); false when it is not theirs. */
export async function markRead(db: DbOrTx, userId: string, id: string) {
  const r = await queryRows<{ id: string }>(
    db,
    sql`
    UPDATE notifications n SET read_at = coalesce(n.read_at, now())
    FROM service_notices sn
    WHERE n.id = ${id} AND sn.notification_id = n.id AND sn.user_id = ${userId}
    RETURNING n.id`,
  );
  return r.length > 0;
}

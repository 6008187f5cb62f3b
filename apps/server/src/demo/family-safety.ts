import { sql } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { accountPhone } from '../modules/users/users.phone.ts';
import { setAccountPhone } from '../modules/users/users.repo.ts';

const FAMILY_PHONE = '13900000001';
/** 郑秀英's own mobile: the demo elder account logs in by SMS code with it (docs/elder-family-pages.md). */
const ELDER_PHONE = '13900000002';

/**
 * Demo step `family-safety`: the demo family account (郑小明) sees something on the family page.
 * His mother 郑秀英 gets a pendant, a smoke detector with a low battery and a door sensor (if she
 * has no devices), he becomes her first-called contact with the account's phone, and a fall from
 * three days ago was handled at home, with the outcome notice sent to him. Her archive gets her own
 * mobile, so the demo elder account can log in by SMS code too (13900000002; the family account by
 * his, 13900000001). Deterministic.
 */
export async function seedFamilySafety(ctx: AppContext) {
  const [fam] = await queryRows<{ id: string; elder_id: string | null }>(
    ctx.db,
    sql`SELECT id, elder_id FROM users WHERE username = 'demo-family'`,
  );
  if (!fam?.elder_id) return;
  const [e] = await queryRows<{ id: string; name: string; region_code: string }>(
    ctx.db,
    sql`SELECT id, name, region_code FROM elders WHERE id = ${fam.elder_id}`,
  );
  if (!e) return;
  const [op] = await queryRows<{ id: string }>(ctx.db, sql`SELECT id FROM users WHERE username = 'demo-operator'`);
  const phone = FAMILY_PHONE;
  const phoneHash = ctx.cipher.blindIndex(phone, 'phone');
  await ctx.db.transaction(async (tx) => {
    await setAccountPhone(tx, fam.id, accountPhone(ctx.cipher, phone));
    await tx.execute(sql`UPDATE elders SET phone_enc = ${ctx.cipher.encrypt(ELDER_PHONE)},
      phone_hash = ${ctx.cipher.blindIndex(ELDER_PHONE, 'phone')} WHERE id = ${e.id}`);
    let [contact] = await queryRows<{ id: string }>(
      tx,
      sql`SELECT id FROM elder_contacts WHERE elder_id = ${e.id} AND phone_hash = ${phoneHash}`,
    );
    if (!contact) {
      await tx.execute(sql`UPDATE elder_contacts SET call_order = call_order + 1 WHERE elder_id = ${e.id}`);
      [contact] = await queryRows<{ id: string }>(
        tx,
        sql`INSERT INTO elder_contacts (elder_id, name, relationship, phone_enc, phone_hash, call_order, holds_key)
            VALUES (${e.id}, '郑小明', '儿子', ${ctx.cipher.encrypt(phone)}, ${phoneHash}, 1, true) RETURNING id`,
      );
    }
    const [has] = await queryRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM devices WHERE elder_id = ${e.id}`);
    if (!has.n) {
      for (const [id, type, battery, hb] of [
        ['ZY-FAM-PD-000001', 'pendant', 76, 600],
        ['ZY-FAM-SM-000001', 'smoke', 14, 14_400],
        ['ZY-FAM-DR-000001', 'door', 88, 3_600],
      ] as const) {
        await tx.execute(sql`
          INSERT INTO devices (id, type, vendor, model, elder_id, region_code, heartbeat_seconds, installed_on, installer,
                               secret_nonce, online, last_seen_at, battery, worn, worn_changed_at, last_test_at, is_demo)
          VALUES (${id}, ${type}, '安康通', ${`${type}-100`}, ${e.id}, ${e.region_code}, ${hb}, current_date - 200, '社区网格员',
                  ${`demo-family-${id}`}, true, now() - interval '2 minutes', ${battery},
                  ${type === 'pendant' ? true : null}, ${type === 'pendant' ? sql`now() - interval '5 days'` : null},
                  now() - interval '6 days', true)
          ON CONFLICT (id) DO NOTHING`);
      }
    }
    const [dev] = await queryRows<{ id: string }>(
      tx,
      sql`SELECT id FROM devices WHERE elder_id = ${e.id} ORDER BY (type IN ('pendant', 'sos_terminal')) DESC, id LIMIT 1`,
    );
    const [alarm] = await queryRows<{ id: string }>(
      tx,
      sql`
      INSERT INTO alarms (type, priority, raised_priority, status, merge_key, open, elder_id, device_id, region_code, raised_at,
                          last_event_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by, outcome, is_demo)
      VALUES ('fall', 'P1', 'P1', 'resolved', 'demo:family:fall', false, ${e.id}, ${dev?.id ?? null}, ${e.region_code},
              now() - interval '3 days', now() - interval '3 days', now() - interval '3 days' + interval '25 seconds', ${op?.id ?? null},
              now() - interval '3 days' + interval '40 minutes', ${op?.id ?? null}, 'assisted_at_home', true)
      RETURNING id`,
    );
    await tx.execute(sql`
      INSERT INTO notifications (alarm_id, elder_id, contact_id, region_code, reason, recipient_enc, recipient_masked, body,
                                 status, attempts, created_at, sent_at)
      VALUES (${alarm.id}, ${e.id}, ${contact.id}, ${e.region_code}, 'resolved', ${ctx.cipher.encrypt(phone)},
              ${`${phone.slice(0, 3)}****${phone.slice(-4)}`}, ${`【智养】${e.name}的跌倒告警已处理完毕（上门协助）。如有疑问请致电服务中心。`},
              'sent', 1, now() - interval '3 days' + interval '40 minutes', now() - interval '3 days' + interval '41 minutes')
      ON CONFLICT DO NOTHING`);
  });
}

import type { DbOrTx } from '../../db/client.ts';
import { smsOutbox } from './sms.schema.ts';

/** The record that a text message (a login code) went out, or failed: number and text masked. */
export async function insertSmsOutbox(db: DbOrTx, row: typeof smsOutbox.$inferInsert) {
  await db.insert(smsOutbox).values(row);
}

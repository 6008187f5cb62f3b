import type { Db } from '../../db/client.ts';
import { insertListing, lockOrgForChange } from './credit.repo.ts';

/**
 * For the race tests of credit blocking: a listing of `orgId` (by decision, dated `listedOn`) whose
 * transaction has locked the organisation and written the listing, and stays open until `commit()`.
 * A request sent meanwhile must wait for it and then see the organisation listed.
 */
export async function holdListing(db: Db, orgId: string, listedOn: string) {
  let entered!: () => void;
  let release!: () => void;
  const inside = new Promise<void>((r) => {
    entered = r;
  });
  const held = new Promise<void>((r) => {
    release = r;
  });
  const done = db.transaction(async (tx) => {
    await lockOrgForChange(tx, orgId);
    await insertListing(tx, { orgId, basis: 'decision', reason: '并发测试', listedOn });
    entered();
    await held;
  });
  await inside;
  return {
    async commit() {
      release();
      await done;
    },
  };
}

import { sql } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { FACE_MODEL } from '../modules/faces/faces.engine-info.ts';
import { packVectors } from '../modules/faces/faces.match.ts';
import { faceEnrolments, faceGalleryOrgs } from '../modules/faces/faces.schema.ts';
import { DEMO_DISTRICT } from './district.ts';
import { type Random, seededRandom } from './random.ts';

/** Enrolled elders per demo canteen: its regular diners first, then neighbours of its communities. */
export const DEMO_FACES_PER_CANTEEN = 100;
/** The length of the model's descriptors (faceres: 1024 values). */
const LENGTH = 1024;

/**
 * Face enrolments for the demo canteens' kiosks, with **synthetic descriptors**: the repository
 * holds no real person's face, so no camera will match them and the demo kiosk falls back to the
 * second factor — as it does for any elder whose face is not recognised. Each elder's consent is
 * recorded like a real enrolment (a numbered consent form signed by the elder).
 */
export async function seedFaces(ctx: AppContext) {
  const canteens = await queryRows<{ org_id: string }>(
    ctx.db,
    sql`SELECT c.org_id FROM canteens c JOIN organizations o ON o.id = c.org_id
        WHERE o.region_code LIKE ${`${DEMO_DISTRICT.code}%`} ORDER BY o.name`,
  );
  const rnd = seededRandom(16_2026);
  const taken = new Set<string>();
  let form = 0;
  for (const canteen of canteens) {
    const candidates = await queryRows<{ id: string; name: string; created_at: string | Date }>(
      ctx.db,
      sql`SELECT e.id, e.name, e.created_at FROM elders e JOIN canteens c ON c.org_id = ${canteen.org_id}
          LEFT JOIN (SELECT elder_id, count(*) n FROM meals WHERE canteen_id = ${canteen.org_id} GROUP BY elder_id) m ON m.elder_id = e.id
          WHERE e.status = 'active' AND (m.n IS NOT NULL OR e.region_code = ANY(c.communities))
          ORDER BY m.n DESC NULLS LAST, e.id
          LIMIT ${DEMO_FACES_PER_CANTEEN * 2}`,
    );
    const chosen = candidates.filter((e) => !taken.has(e.id)).slice(0, DEMO_FACES_PER_CANTEEN);
    const rows = chosen.map((e) => {
      taken.add(e.id);
      const signedAt = new Date(Math.max(new Date(e.created_at).getTime(), Date.now() - rnd.int(20, 90) * 86_400_000));
      return {
        elderId: e.id,
        descriptorsEnc: ctx.cipher.encrypt(packVectors(syntheticDescriptors(rnd, 3))),
        descriptorCount: 3,
        descriptorLength: LENGTH,
        model: FACE_MODEL,
        consentSignedBy: e.name,
        consentSignedAt: signedAt,
        consentDocumentRef: `人脸采集同意书 RL-${String(++form).padStart(4, '0')}（演示）`,
        enrolledAt: signedAt,
      };
    });
    if (rows.length === 0) continue;
    await ctx.db.transaction(async (tx) => {
      await tx.insert(faceEnrolments).values(rows).onConflictDoNothing();
      await tx
        .insert(faceGalleryOrgs)
        .values(rows.map((r) => ({ elderId: r.elderId, orgId: canteen.org_id })))
        .onConflictDoNothing();
    });
  }
}

/** One random direction per elder, and `n` photos of it: the direction plus a little noise. */
function syntheticDescriptors(rnd: Random, n: number): Float32Array[] {
  const base = unit(Float32Array.from({ length: LENGTH }, () => gaussian(rnd)));
  return Array.from({ length: n }, () => unit(base.map((x) => x + 0.012 * gaussian(rnd))));
}

function gaussian(rnd: Random) {
  return Math.sqrt(-2 * Math.log(1 - rnd.next())) * Math.cos(2 * Math.PI * rnd.next());
}

function unit(v: Float32Array) {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

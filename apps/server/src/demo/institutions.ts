import { ASSESSMENT_ITEMS, RISK_ITEMS, RISK_LEVELS, scoreAssessment } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { cstDate } from '../lib/dates.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { insertLayout, type Layout, upsertProfile } from '../modules/institutions/institutions.repo.ts';
import { carePlanFor, overallRisk, suggestedNursingLevel } from '../modules/institutions/institutions.rules.ts';
import { DEMO_DISTRICT } from './district.ts';
import { seededRandom } from './random.ts';

/** Demo residents of 福寿养老院 (of its 120 beds). */
export const DEMO_RESIDENTS = 90;

/** The demo district's nursing homes: 福寿养老院 (demo-institution's) and a smaller private one. */
const HOMES = [
  {
    name: '福寿养老院',
    ownership: 'public_private' as const,
    licenceNo: '民养证字第990101019号',
    filingNo: '990101-YL-2021-007',
    filedOn: '2021-06-18',
    capacity: 120,
    buildings: [
      ['1号楼（护理楼）', [1, 2, 3]],
      ['2号楼', [1, 2]],
    ] as Array<[string, number[]]>,
    residents: DEMO_RESIDENTS,
    prefix: 'FS',
    seed: 1919,
  },
  {
    name: '康宁护理院',
    ownership: 'private' as const,
    licenceNo: '民养证字第990101023号',
    filingNo: '990101-YL-2022-012',
    filedOn: '2022-03-09',
    capacity: 60,
    buildings: [['康宁楼', [1, 2, 3]]] as Array<[string, number[]]>,
    residents: 40,
    prefix: 'KN',
    seed: 2323,
  },
];
const ROOMS_PER_FLOOR = 10;

/** Two buildings of three floors, ten rooms of two beds: 120 beds, of which the 100 on floors of nursing are 护理型. */
function layout(name: string, nursingFloors: number[]): Layout {
  return {
    name,
    floors: [1, 2, 3].map((level) => ({
      level,
      name: `${['一', '二', '三'][level - 1]}层`,
      rooms: Array.from({ length: ROOMS_PER_FLOOR }, (_, r) => ({
        name: `${level}${String(r + 1).padStart(2, '0')}`,
        beds: ['1', '2'].map((label) => ({
          label,
          nursing: nursingFloors.includes(level),
          priceFen: nursingFloors.includes(level) ? 260000 : 180000,
        })),
      })),
    })),
  };
}

/**
 * Demo step `institutions`: 福寿养老院 (demo-institution's) gets its profile, two buildings with
 * 120 beds, 90 residents from the demo archive aged 75+ (each with a signed GB/T 42195 assessment,
 * a GB 38600 risk assessment, a nursing level and its care plan, a contract and a deposit) and bed
 * sensors and fall radars on some of their beds; 康宁护理院 (private) likewise with 60 beds and 40
 * residents. Bulk SQL, one transaction per home; a re-run adds none.
 */
export async function seedInstitutions(ctx: AppContext) {
  for (const home of HOMES) await seedHome(ctx, home);
}

async function seedHome(ctx: AppContext, home: (typeof HOMES)[number]) {
  const rnd = seededRandom(home.seed);
  const today = cstDate();
  await ctx.db.transaction(async (tx) => {
    const [org] = await queryRows<{ id: string; region_code: string }>(
      tx,
      sql`SELECT id, region_code FROM organizations WHERE type = 'institution' AND name = ${home.name}
        AND region_code LIKE ${`${DEMO_DISTRICT.code}%`} ORDER BY created_at LIMIT 1`,
    );
    if (!org) return;
    const [had] = await queryRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM beds WHERE org_id = ${org.id}`);
    if (had.n > 0) return;
    await upsertProfile(tx, {
      orgId: org.id,
      ownership: home.ownership,
      licenceNo: home.licenceNo,
      filingNo: home.filingNo,
      filedOn: home.filedOn,
      capacity: home.capacity,
    });
    for (const [name, nursingFloors] of home.buildings) await insertLayout(tx, org.id, layout(name, nursingFloors));
    const beds = await queryRows<{ id: string; nursing: boolean; price_fen: number }>(
      tx,
      sql`SELECT b.id, b.nursing, b.price_fen FROM beds b JOIN institution_rooms r ON r.id = b.room_id
        JOIN institution_floors f ON f.id = r.floor_id JOIN institution_buildings ib ON ib.id = f.building_id
        WHERE b.org_id = ${org.id} ORDER BY ib.name, f.level, r.name, b.label`,
    );
    const elders = await queryRows<{ id: string; region_code: string; living_situation: string }>(
      tx,
      sql`SELECT e.id, e.region_code, e.living_situation FROM elders e
        WHERE e.is_demo AND e.status = 'active' AND e.region_code LIKE ${`${DEMO_DISTRICT.code}%`}
          AND e.birth_date <= (${today}::date - interval '75 years')
          AND NOT EXISTS (SELECT 1 FROM admissions a WHERE a.elder_id = e.id)
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.elder_id = e.id)
        ORDER BY e.birth_date, e.id_number_hash LIMIT ${home.residents}`,
    );
    const assessments: Array<Record<string, unknown>> = [];
    const admissions: Array<Record<string, unknown>> = [];
    elders.forEach((e, i) => {
      // Residents of a nursing home are mostly dependent: scores from a third to two thirds of each item's maximum.
      const frailty = rnd.next();
      const scores = Object.fromEntries(
        ASSESSMENT_ITEMS.map((it) => [it.key, Math.max(0, Math.min(it.max, Math.round(it.max * (0.9 - frailty * 0.8))))]),
      );
      const background = { coma: false, dementiaOrMentalDisorder: rnd.chance(0.2), riskEvents30d: [], diagnoses: [] };
      const result = scoreAssessment(scores, background);
      const assessedOn = new Date(Date.now() - rnd.int(20, 200) * 86_400_000).toISOString().slice(0, 10);
      const assessmentId = crypto.randomUUID();
      assessments.push({
        id: assessmentId,
        elder_id: e.id,
        region_code: e.region_code,
        assessed_on: assessedOn,
        background,
        scores,
        subtotals: result.subtotals,
        total: result.total,
        preliminary_level: result.preliminaryLevel,
        level: result.level,
        adjustments: result.adjustments,
      });
      const risk = Object.fromEntries(
        RISK_ITEMS.map((it) => [it.code, RISK_LEVELS[Math.min(3, Math.floor(rnd.next() * (1.5 + frailty * 3)))]]),
      );
      const nursing = suggestedNursingLevel(result.level);
      const bed = beds[i];
      admissions.push({
        id: crypto.randomUUID(),
        elder_id: e.id,
        bed_id: bed.id,
        applied_on: new Date(new Date(assessedOn).getTime() - 3 * 86_400_000).toISOString().slice(0, 10),
        admitted_on: assessedOn,
        ability_assessment_id: assessmentId,
        ability_level: result.level,
        risk_items: risk,
        risk_level: overallRisk(risk),
        nursing_level: nursing,
        care_plan: carePlanFor(nursing),
        contract_no: `${home.prefix}${assessedOn.replaceAll('-', '')}-${String(i + 1).padStart(3, '0')}`,
        bed_fee_fen: bed.price_fen,
        nursing_fee_fen: { special: 300000, level1: 220000, level2: 150000, level3: 80000 }[nursing],
        meal_fee_fen: 90000,
        deposit_fen: 500000,
        previous_living: e.living_situation,
      });
    });
    if (!admissions.length) return;
    await tx.execute(sql`
      INSERT INTO assessments (id, elder_id, region_code, reason, assessed_on, background, scores, subtotals, total,
        preliminary_level, level, adjustments, status, assessor1_name, assessor1_signed_at, assessor2_name, assessor2_signed_at)
      SELECT id, elder_id, region_code, 'first', assessed_on, background, scores, subtotals, total, preliminary_level, level,
        ARRAY(SELECT jsonb_array_elements_text(adjustments)), 'signed', '区评估中心 李敏', now(), '区评估中心 周强', now()
      FROM jsonb_to_recordset(${JSON.stringify(assessments)}::jsonb) AS x(id uuid, elder_id uuid, region_code text,
        assessed_on date, background jsonb, scores jsonb, subtotals jsonb, total int, preliminary_level text, level text,
        adjustments jsonb)`);
    await tx.execute(sql`
      INSERT INTO admissions (id, org_id, elder_id, status, applied_on, ability_assessment_id, ability_level, risk_items,
        risk_level, risk_assessed_on, nursing_level, care_plan, bed_id, contract_no, bed_fee_fen, nursing_fee_fen,
        meal_fee_fen, deposit_fen, deposit_paid_at, admitted_on, previous_living)
      SELECT id, ${org.id}::uuid, elder_id, 'admitted', applied_on, ability_assessment_id, ability_level, risk_items,
        risk_level, admitted_on, nursing_level, care_plan, bed_id, contract_no, bed_fee_fen, nursing_fee_fen,
        meal_fee_fen, deposit_fen, admitted_on::timestamptz, admitted_on, previous_living
      FROM jsonb_to_recordset(${JSON.stringify(admissions)}::jsonb) AS x(id uuid, elder_id uuid, bed_id uuid, applied_on date,
        admitted_on date, ability_assessment_id uuid, ability_level text, risk_items jsonb, risk_level text,
        nursing_level text, care_plan jsonb, contract_no text, bed_fee_fen int, nursing_fee_fen int, meal_fee_fen int,
        deposit_fen int, previous_living text)`);
    await tx.execute(sql`
      UPDATE beds b SET status = 'occupied', admission_id = a.id, updated_at = now()
      FROM admissions a WHERE a.bed_id = b.id AND a.org_id = ${org.id} AND a.status = 'admitted'`);
    await tx.execute(sql`
      UPDATE elders e SET living_situation = 'institution', ability_level = a.ability_level, updated_at = now()
      FROM admissions a WHERE a.elder_id = e.id AND a.org_id = ${org.id} AND a.status = 'admitted'`);
    // A bed sensor on every third resident's bed, a fall radar on every sixth, in the institution's street.
    const devices = admissions.flatMap((a, i) => [
      ...(i % 3 === 0 ? [{ id: `${home.prefix}-BED-${String(i + 1).padStart(3, '0')}`, type: 'bed', a }] : []),
      ...(i % 6 === 0 ? [{ id: `${home.prefix}-RDR-${String(i + 1).padStart(3, '0')}`, type: 'fall_radar', a }] : []),
    ]);
    const rows = devices.map((d, n) => ({
      id: d.id,
      type: d.type,
      elder_id: d.a.elder_id,
      bed_id: d.a.bed_id,
      secret_nonce: `demo-${home.prefix.toLowerCase()}-${n}-${rnd.int(1e6, 9e6)}`,
    }));
    await tx.execute(sql`
      INSERT INTO devices (id, type, vendor, model, elder_id, region_code, heartbeat_seconds, installed_on, installer,
        secret_nonce, online, last_seen_at, battery, is_demo)
      SELECT id, type, CASE WHEN type = 'bed' THEN '睡眠监测' ELSE '毫米波雷达' END, upper(type) || '-200', elder_id,
        ${org.region_code}, 600, ${today}::date, ${`${home.name} 设备科`}, secret_nonce, true, now(), 90, true
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id text, type text, elder_id uuid, secret_nonce text)
      ON CONFLICT (id) DO NOTHING`);
    await tx.execute(sql`
      INSERT INTO bed_devices (device_id, bed_id, org_id)
      SELECT id, bed_id, ${org.id}::uuid FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id text, bed_id uuid)
      ON CONFLICT (device_id) DO NOTHING`);
  });
}

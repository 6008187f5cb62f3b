import type {
  AbilityLevelCode,
  AssessmentAdjustment,
  AssessmentDimension,
  AssessmentReason,
  ElderStatusCode,
  IdTypeCode,
  LivingSituationCode,
  MedicalInsuranceCode,
  RiskEvent,
} from '@zhiyang/shared';

/** Shapes of the elder and assessment API answers (see the server's elders.contract.ts). */

export interface ElderListItem {
  id: string;
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  age: number;
  idType: IdTypeCode;
  idNumberMasked: string;
  phoneMasked: string | null;
  regionCode: string;
  regionName: string | null;
  address: string | null;
  livingSituation: LivingSituationCode;
  categories: string[];
  abilityLevel: AbilityLevelCode | null;
  status: ElderStatusCode;
  nextAssessmentDue: string | null;
}

export interface Contact {
  id: string;
  name: string;
  relationship: string;
  phoneMasked: string;
  callOrder: number;
  isGuardian: boolean;
  holdsKey: boolean;
  notes: string | null;
}

export interface Elder extends Omit<ElderListItem, 'regionName'> {
  regionName: string | null;
  namePinyin: string | null;
  hukouRegionCode: string | null;
  hukouLocal: boolean;
  lat: number | null;
  lng: number | null;
  disabilityLevel: number | null;
  medicalInsurance: MedicalInsuranceCode | null;
  chronicConditions: string[];
  allergies: string[];
  dietRestrictions: string[];
  notes: string | null;
  statusDate: string | null;
  assessmentDue: boolean;
  contacts: Contact[];
  createdAt: string;
  updatedAt: string;
}

export interface TimelineEntry {
  at: string;
  source: string;
  kind: string;
  title: string;
  detail?: Record<string, unknown>;
  refId?: string;
}

export interface ImportRecord {
  id: string;
  filename: string;
  status: 'running' | 'done' | 'failed';
  totalRows: number;
  processedRows: number;
  createdCount: number;
  updatedCount: number;
  errorCount: number;
  failure: string | null;
}

export interface Assessment {
  id: string;
  elderId: string;
  elderName: string | null;
  regionCode: string;
  reason: AssessmentReason;
  assessedOn: string;
  location: string | null;
  background: {
    coma: boolean;
    dementiaOrMentalDisorder: boolean;
    diagnoses: string[];
    riskEvents30d: Array<{ type: RiskEvent; count: number }>;
  };
  scores: Record<string, number>;
  subtotals: Record<AssessmentDimension, number>;
  total: number;
  preliminaryLevel: AbilityLevelCode;
  level: AbilityLevelCode;
  adjustments: AssessmentAdjustment[];
  notes: string | null;
  status: 'draft' | 'signed' | 'superseded';
  locked: boolean;
  correctsId: string | null;
  assessors: Array<{ id: string; name: string; signedAt: string }>;
  nextDue: string | null;
  createdAt: string;
}

export interface DueElder {
  id: string;
  name: string;
  regionCode: string;
  regionName: string | null;
  abilityLevel: AbilityLevelCode | null;
  nextAssessmentDue: string | null;
  overdue: boolean;
  neverAssessed: boolean;
}

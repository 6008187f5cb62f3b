export const ORG_TYPES = [
  'bureau',
  'street_office',
  'community_centre',
  'call_centre',
  'provider',
  'canteen',
  'institution',
] as const;
export type OrgType = (typeof ORG_TYPES)[number];

export const ORG_TYPE_LABELS_ZH: Record<OrgType, string> = {
  bureau: '民政局',
  street_office: '街道办事处',
  community_centre: '社区服务中心',
  call_centre: '呼叫中心',
  provider: '服务商',
  canteen: '长寿食堂',
  institution: '养老机构',
};

import {
  ELDER_CATEGORIES,
  type Elder,
  type ElderInput,
  ID_NUMBER_ERROR_EN,
  ID_NUMBER_ERROR_ZH,
  ID_TYPES,
  LIVING_SITUATIONS,
  type LivingSituationCode,
  MEDICAL_INSURANCE_TYPES,
  type MedicalInsuranceCode,
  PHONE_PATTERN,
  parseIdNumber,
} from '@zhiyang/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { eldersApi } from '../../api/elders.ts';
import { outsideRange } from '../../app/date-limits.ts';
import { currentLanguage } from '../../app/i18n.ts';
import { applyFieldErrors, problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { MapPicker } from '../../common/map/MapPicker.tsx';
import { RegionTreeSelect } from '../common/RegionTreeSelect.tsx';
import { usePrefillOnlyCommunity } from '../common/useOnlyCommunity.ts';

const FIELDS = [
  'name',
  'idType',
  'idNumber',
  'birthDate',
  'sex',
  'phone',
  'regionCode',
  'address',
  'hukouRegionCode',
  'hukouLocal',
  'livingSituation',
  'categories',
  'disabilityLevel',
  'medicalInsurance',
  'chronicConditions',
  'allergies',
  'dietRestrictions',
  'notes',
  'lat',
  'lng',
] as const;

interface Values {
  name: string;
  idType: (typeof ID_TYPES)[number];
  idNumber?: string;
  birthDate?: dayjs.Dayjs;
  sex?: 'male' | 'female';
  phone?: string;
  regionCode?: string;
  address?: string;
  hukouRegionCode?: string;
  hukouLocal: boolean;
  livingSituation: LivingSituationCode;
  categories: string[];
  disabilityLevel?: number;
  medicalInsurance?: MedicalInsuranceCode;
  chronicConditions: string[];
  allergies: string[];
  dietRestrictions: string[];
  notes?: string;
  lat?: number;
  lng?: number;
}

/** /console/elders/new and /console/elders/:id/edit — the same rules as the server, checked as you type. */
export function ElderFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const editing = Boolean(id);
  const existing = useFetch(
    (signal) => (id ? eldersApi.getElder({ params: { id }, signal }) : Promise.resolve(undefined)),
    id ?? 'new',
  );
  if (editing && existing.loading) return <Card loading />;
  if (editing && existing.error !== undefined) return <Alert type="error" title={problemText(existing.error, t)} />;
  return <ElderForm elder={existing.data} />;
}

function ElderForm({ elder }: { elder?: Elder }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const idType = Form.useWatch('idType', form) ?? elder?.idType ?? 'resident_id';
  const idNumber = Form.useWatch('idNumber', form);
  const parsed = idType === 'resident_id' && idNumber && idNumber.length >= 18 ? parseIdNumber(idNumber) : null;
  const idMessages = currentLanguage() === 'zh-CN' ? ID_NUMBER_ERROR_ZH : ID_NUMBER_ERROR_EN;
  const lat = Form.useWatch('lat', form) ?? elder?.lat ?? null;
  const lng = Form.useWatch('lng', form) ?? elder?.lng ?? null;
  const regionCode = Form.useWatch('regionCode', form) ?? elder?.regionCode ?? null;
  const address = Form.useWatch('address', form);
  const pick = t('common.pleaseSelect');
  // Community staff have one community: it is filled in for a new elder.
  usePrefillOnlyCommunity(form, 'regionCode', !elder);

  const initial: Partial<Values> = elder
    ? {
        ...elder,
        birthDate: elder.idType === 'resident_id' ? undefined : dayjs(elder.birthDate),
        sex: elder.idType === 'resident_id' ? undefined : elder.sex,
        phone: undefined,
        idNumber: undefined,
        hukouRegionCode: elder.hukouRegionCode ?? undefined,
        address: elder.address ?? undefined,
        notes: elder.notes ?? undefined,
        disabilityLevel: elder.disabilityLevel ?? undefined,
        medicalInsurance: elder.medicalInsurance ?? undefined,
        lat: elder.lat ?? undefined,
        lng: elder.lng ?? undefined,
      }
    : {
        idType: 'resident_id',
        hukouLocal: true,
        livingSituation: 'with_family',
        categories: [],
        chronicConditions: [],
        allergies: [],
        dietRestrictions: [],
      };

  async function submit(v: Values) {
    setSaving(true);
    setError(null);
    const body = {
      ...v,
      birthDate: v.birthDate ? v.birthDate.format('YYYY-MM-DD') : undefined,
      sex: v.sex || undefined,
      phone: v.phone || (elder ? undefined : null),
      idNumber: v.idNumber || undefined,
      hukouRegionCode: v.hukouRegionCode || null,
      address: v.address || null,
      notes: v.notes || null,
      disabilityLevel: v.disabilityLevel ?? null,
      medicalInsurance: v.medicalInsurance ?? null,
      lat: v.lat ?? null,
      lng: v.lng ?? null,
    };
    // The ID type of a record is fixed once created.
    const { idType: _idType, ...patch } = body;
    try {
      const saved = elder
        ? await eldersApi.updateElder({ params: { id: elder.id }, body: patch })
        : // The form's rules require the name, ID number and community before it submits.
          await eldersApi.createElder({ body: body as ElderInput });
      message.success(elder ? t('common.saved') : t('elders.form.created'));
      navigate(`/console/elders/${saved.id}`);
    } catch (err) {
      if (!applyFieldErrors(form, err, FIELDS)) setError(problemText(err, t));
    } finally {
      setSaving(false);
    }
  }

  const tags = (name: 'chronicConditions' | 'allergies' | 'dietRestrictions') => (
    <Form.Item name={name} label={t(`elders.field.${name}`)} extra={t('elders.form.tagsHint')}>
      <Select mode="tags" open={false} tokenSeparators={[',', '，', '；', ';']} />
    </Form.Item>
  );

  return (
    <Card title={elder ? `${t('elders.form.editTitle')} · ${elder.name}` : t('elders.form.createTitle')}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={submit}
        data-testid="elder-form"
        scrollToFirstError
      >
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="name" label={t('elders.field.name')} rules={[{ required: true, max: 50 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="idType" label={t('elders.field.idType')}>
              <Select
                disabled={Boolean(elder)}
                placeholder={pick}
                options={ID_TYPES.map((c) => ({ value: c, label: t(`elders.idType.${c}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="idNumber"
              label={t('elders.field.idNumber')}
              extra={
                elder
                  ? elder.idNumberMasked
                  : parsed?.ok
                    ? t('elders.form.derived', { birthDate: parsed.value.birthDate, sex: t(`elders.sex.${parsed.value.sex}`) })
                    : undefined
              }
              rules={[
                { required: !elder },
                {
                  validator: async (_r, value?: string) => {
                    if (!value || form.getFieldValue('idType') !== 'resident_id') return;
                    const r = parseIdNumber(value);
                    if (!r.ok) throw new Error(idMessages[r.error]);
                  },
                },
              ]}
            >
              <Input maxLength={30} style={{ fontFamily: 'monospace' }} data-testid="elder-id-number" />
            </Form.Item>
          </Col>
          {idType !== 'resident_id' && (
            <>
              <Col xs={24} md={8}>
                <Form.Item name="birthDate" label={t('elders.field.birthDate')} rules={[{ required: true }]}>
                  <DatePicker style={{ width: '100%' }} disabledDate={outsideRange('birth')} />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="sex" label={t('elders.field.sex')} rules={[{ required: true }]}>
                  <Radio.Group options={(['male', 'female'] as const).map((s) => ({ value: s, label: t(`elders.sex.${s}`) }))} />
                </Form.Item>
              </Col>
            </>
          )}
          <Col xs={24} md={8}>
            <Form.Item
              name="phone"
              label={t('elders.field.phone')}
              extra={elder?.phoneMasked ?? undefined}
              rules={[{ pattern: PHONE_PATTERN, message: t('elders.field.phone') }]}
            >
              <Input maxLength={20} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="regionCode" label={t('elders.field.regionCode')} rules={[{ required: true }]}>
              <RegionTreeSelect selectableLevels={['community']} placeholder={pick} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="address" label={t('elders.field.address')} rules={[{ max: 200 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="livingSituation" label={t('elders.field.livingSituation')} rules={[{ required: true }]}>
              <Select placeholder={pick} options={LIVING_SITUATIONS.map((c) => ({ value: c, label: t(`elders.living.${c}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="categories" label={t('elders.field.categories')}>
              <Select
                mode="multiple"
                placeholder={pick}
                options={ELDER_CATEGORIES.map((c) => ({ value: c, label: t(`elders.category.${c}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="hukouRegionCode"
              label={t('elders.field.hukouRegionCode')}
              rules={[{ pattern: /^\d{6}(\d{3}){0,2}$/, message: '6/9/12' }]}
            >
              <Input maxLength={12} />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name="hukouLocal" label={t('elders.field.hukouLocal')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name="disabilityLevel" label={t('elders.field.disabilityLevel')}>
              <Select
                allowClear
                placeholder={pick}
                options={[1, 2, 3, 4].map((n) => ({ value: n, label: ['一级', '二级', '三级', '四级'][n - 1] }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="medicalInsurance" label={t('elders.field.medicalInsurance')}>
              <Select
                allowClear
                placeholder={pick}
                options={MEDICAL_INSURANCE_TYPES.map((c) => ({ value: c, label: t(`elders.insurance.${c}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            {tags('chronicConditions')}
          </Col>
          <Col xs={24} md={8}>
            {tags('allergies')}
          </Col>
          <Col xs={24} md={8}>
            {tags('dietRestrictions')}
          </Col>
          <Col xs={24} md={16}>
            <MapPicker
              lat={lat}
              lng={lng}
              regionCode={regionCode}
              address={address}
              onChange={(p) => form.setFieldsValue({ lat: p.lat, lng: p.lng })}
            />
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="lat" label={t('elders.field.lat')}>
              <InputNumber min={-90} max={90} step={0.000001} precision={6} style={{ width: '100%' }} data-testid="elder-lat" />
            </Form.Item>
            <Form.Item name="lng" label={t('elders.field.lng')}>
              <InputNumber min={-180} max={180} step={0.000001} precision={6} style={{ width: '100%' }} data-testid="elder-lng" />
            </Form.Item>
            <Typography.Text type="secondary">{t('elders.form.coordsNote')}</Typography.Text>
          </Col>
          <Col xs={24}>
            <Form.Item name="notes" label={t('elders.field.notes')} rules={[{ max: 2000 }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
          </Col>
        </Row>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="elder-save">
            {t('common.save')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}

import { type AllowanceTier, ELDER_CATEGORIES, ELDER_CATEGORY_LABELS_ZH } from '@zhiyang/shared';
import { App, Button, Card, Checkbox, DatePicker, Form, InputNumber, Modal, Select, Space, Table } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allowancesApi } from '../../api/allowances.ts';
import { useAuth } from '../../app/auth.tsx';
import { applyFieldErrors, problemText } from '../../app/problems.ts';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { SettingsCard } from './SettingsCard.tsx';

/** The tiers (档次) per district and year; the district adds them. */
export function TiersPage() {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const { nameOf } = useRegions();
  const { message } = App.useApp();
  const [year, setYear] = useState(dayjs().year());
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm();
  const district = (me?.regionCode ?? '').slice(0, 6);
  const list = useFetch((signal) => allowancesApi.listTiers({ query: { year }, signal }), `allowance-tiers:${year}`);
  const save = async () => {
    const v = await form.validateFields();
    await allowancesApi
      .createTier({
        body: {
          regionCode: district,
          year,
          minAge: v.minAge,
          maxAge: v.maxAge ?? null,
          monthlyFen: Math.round(v.amount * 100),
          localHukouOnly: v.localHukouOnly,
          minResidenceYears: v.minResidenceYears ?? 0,
          excludedCategories: v.excludedCategories ?? [],
          effectiveFrom: v.effective[0].format('YYYY-MM-DD'),
          effectiveTo: v.effective[1] ? v.effective[1].format('YYYY-MM-DD') : null,
        },
      })
      .then(
        () => {
          setAdding(false);
          list.reload();
        },
        (e) => {
          if (!applyFieldErrors(form, e, ['minAge', 'maxAge'])) message.error(problemText(e, t));
        },
      );
  };
  return (
    <Card
      title={t('allowances.tiers.title')}
      extra={
        <Space>
          <Select
            value={year}
            onChange={setYear}
            style={{ width: 120 }}
            options={[-1, 0, 1].map((d) => ({ value: dayjs().year() + d, label: String(dayjs().year() + d) }))}
          />
          {can('allowance:manage') && district.length === 6 && (
            <Button type="primary" onClick={() => setAdding(true)}>
              {t('allowances.tiers.add')}
            </Button>
          )}
        </Space>
      }
    >
      <Table<AllowanceTier>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items}
        pagination={false}
        columns={[
          { title: t('allowances.tiers.district'), dataIndex: 'regionCode', render: (code: string) => nameOf(code) ?? code },
          { title: t('allowances.tiers.year'), dataIndex: 'year' },
          {
            title: t('allowances.tiers.ages'),
            render: (_, r) =>
              r.maxAge === null
                ? t('allowances.tiers.agesValue', { min: r.minAge })
                : t('allowances.tiers.agesRange', { min: r.minAge, max: r.maxAge }),
          },
          {
            title: t('allowances.tiers.amount'),
            dataIndex: 'monthlyFen',
            render: (v: number) => t('allowances.common.yuan', { v: (v / 100).toFixed(2) }),
          },
          {
            title: t('allowances.tiers.localOnly'),
            dataIndex: 'localHukouOnly',
            render: (v: boolean) => t(v ? 'allowances.tiers.yes' : 'allowances.tiers.no'),
          },
          {
            title: t('allowances.tiers.residence'),
            dataIndex: 'minResidenceYears',
            render: (v: number) => (v ? t('allowances.tiers.residenceValue', { n: v }) : t('allowances.common.none')),
          },
          {
            title: t('allowances.tiers.excluded'),
            dataIndex: 'excludedCategories',
            render: (v: string[]) =>
              v.length
                ? v.map((c) => ELDER_CATEGORY_LABELS_ZH[c as keyof typeof ELDER_CATEGORY_LABELS_ZH] ?? c).join('、')
                : t('allowances.common.none'),
          },
          {
            title: t('allowances.tiers.effective'),
            render: (_, r) => `${r.effectiveFrom} ${t('allowances.tiers.to')} ${r.effectiveTo ?? t('allowances.common.none')}`,
          },
        ]}
      />
      <Modal open={adding} title={t('allowances.tiers.add')} onOk={save} onCancel={() => setAdding(false)} destroyOnHidden>
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ localHukouOnly: true, effective: [dayjs(`${year}-01-01`), dayjs(`${year}-12-31`)] }}
        >
          <Space>
            <Form.Item name="minAge" label={t('allowances.tiers.minAge')} rules={[{ required: true }]}>
              <InputNumber min={60} max={130} precision={0} />
            </Form.Item>
            <Form.Item name="maxAge" label={t('allowances.tiers.maxAge')}>
              <InputNumber min={60} max={130} precision={0} />
            </Form.Item>
          </Space>
          <Form.Item name="amount" label={t('allowances.tiers.amount')} rules={[{ required: true }]}>
            <InputNumber min={0.01} max={100000} precision={2} />
          </Form.Item>
          <Form.Item name="localHukouOnly" valuePropName="checked">
            <Checkbox>{t('allowances.tiers.localOnly')}</Checkbox>
          </Form.Item>
          <Form.Item name="minResidenceYears" label={t('allowances.tiers.residence')}>
            <InputNumber min={0} max={50} precision={0} />
          </Form.Item>
          <Form.Item name="excludedCategories" label={t('allowances.tiers.excluded')}>
            <Select mode="multiple" options={ELDER_CATEGORIES.map((c) => ({ value: c, label: ELDER_CATEGORY_LABELS_ZH[c] }))} />
          </Form.Item>
          <Form.Item name="effective" label={t('allowances.tiers.effective')} rules={[{ required: true }]}>
            <DatePicker.RangePicker allowEmpty={[false, true]} />
          </Form.Item>
        </Form>
      </Modal>
      {district.length === 6 && <SettingsCard district={district} editable={can('allowance:manage')} />}
    </Card>
  );
}

import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { type HomeBedEpisode, todayCst } from '@zhiyang/shared';
import { Alert, App, Button, DatePicker, Flex, Form, Input, InputNumber, Select, Space, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { medicalApi } from '../../api/medical.ts';
import { useAuth } from '../../app/auth.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { EpisodeDrawer } from './EpisodeDrawer.tsx';
import { MedicalTable, yuan } from './MedicalTable.tsx';

type EpisodeStatus = HomeBedEpisode['status'];

/** 家庭病床: episodes in reach; the team admits (建床) a contracted elder; each episode opens in a drawer. */
export function BedsTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [status, setStatus] = useState<EpisodeStatus | undefined>();
  const [admitting, setAdmitting] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const list = useFetch((signal) => medicalApi.listEpisodes({ query: { status, limit: 100 }, signal }), `medical-beds|${status}`);
  return (
    <>
      <MedicalTable<HomeBedEpisode>
        title={t('medical.list.beds')}
        list={list}
        testId="medical-beds"
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        extra={
          <Space>
            <Select
              allowClear
              style={{ width: 140 }}
              aria-label={t('medical.col.status')}
              placeholder={t('medical.list.allStatuses')}
              value={status}
              onChange={setStatus}
              options={(['open', 'discharged'] as const).map((s) => ({ value: s, label: t(`medical.episodeStatus.${s}`) }))}
            />
            {can('medical:visit') && (
              <Button type="primary" onClick={() => setAdmitting(true)}>
                {t('medical.form.admit')}
              </Button>
            )}
          </Space>
        }
        columns={[
          { title: t('medical.col.elder'), dataIndex: 'elderName' },
          { title: t('medical.col.age'), dataIndex: 'elderAge' },
          { title: t('medical.col.diagnosis'), dataIndex: 'diagnosis' },
          { title: t('medical.col.teamShort'), dataIndex: 'teamName' },
          { title: t('medical.col.admittedOn'), dataIndex: 'admittedOn' },
          { title: t('medical.col.visitsPerWeek'), dataIndex: 'visitsPerWeek' },
          { title: t('medical.col.visitsDone'), dataIndex: 'visitsDone' },
          { title: t('medical.col.billed'), dataIndex: 'billedFen', render: yuan },
          {
            title: t('medical.col.status'),
            dataIndex: 'status',
            render: (s: EpisodeStatus) => <Tag color={s === 'open' ? 'green' : undefined}>{t(`medical.episodeStatus.${s}`)}</Tag>,
          },
        ]}
      />
      <AdmitModal
        open={admitting}
        onClose={() => setAdmitting(false)}
        onDone={(id) => {
          setAdmitting(false);
          list.reload();
          setOpen(id);
        }}
      />
      <EpisodeDrawer id={open} onClose={() => setOpen(null)} onChanged={list.reload} />
    </>
  );
}

interface AdmitValues {
  elderId: string;
  diagnosis: string;
  admittedOn: dayjs.Dayjs;
  visitsPerWeek: number;
  planItems: Array<{ code: string; name: string; amount: number }>;
}

/** 建床: an elder with an active contract of the caller's team, checked against the district's criteria first. */
function AdmitModal({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(id: string): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<AdmitValues>();
  const elderId = Form.useWatch('elderId', form);
  const contracts = useFetch(
    (signal) =>
      open ? medicalApi.listContracts({ query: { status: 'active', limit: 100 }, signal }) : Promise.resolve(undefined),
    `admit-contracts|${open}`,
  );
  const check = useFetch(
    (signal) => (elderId ? medicalApi.checkCriteria({ params: { elderId }, signal }) : Promise.resolve(undefined)),
    `admit-check|${elderId ?? ''}`,
  );
  const c = check.data;
  return (
    <FormModal<AdmitValues>
      open={open}
      title={t('medical.form.admitTitle')}
      form={form}
      preserve={false}
      width={680}
      onClose={onClose}
      fields={['elderId', 'diagnosis', 'admittedOn', 'visitsPerWeek', 'planItems']}
      initialValues={{
        admittedOn: dayjs(todayCst()),
        visitsPerWeek: 2,
        planItems: [{ code: '', name: '', amount: 0 }],
      }}
      onSubmit={async (v) => {
        const episode = await medicalApi.admit({
          body: {
            elderId: v.elderId,
            diagnosis: v.diagnosis,
            admittedOn: v.admittedOn.format('YYYY-MM-DD'),
            visitsPerWeek: v.visitsPerWeek,
            planItems: v.planItems.map((i) => ({ code: i.code, name: i.name, amountFen: Math.round(i.amount * 100) })),
          },
        });
        message.success(t('medical.form.saved'));
        onDone(episode.id);
      }}
    >
      <Form.Item
        name="elderId"
        label={t('medical.form.admitElder')}
        extra={t('medical.form.admitElderHint')}
        rules={[{ required: true }]}
      >
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('medical.form.admitElder')}
          loading={contracts.loading}
          options={(contracts.data?.items ?? []).map((k) => ({
            value: k.elderId,
            label: `${k.elderName}　${k.elderAge}岁　${k.regionName ?? ''}　${k.teamName}`,
          }))}
        />
      </Form.Item>
      {c && (
        <Alert
          style={{ marginBottom: 16 }}
          data-testid="admit-criteria"
          type={c.eligible ? 'success' : 'warning'}
          title={c.eligible ? t('medical.form.criteriaOk') : t('medical.form.criteriaFailed')}
          description={c.checks.map((k) => `${k.passed ? '✓' : '✗'} ${k.detail}`).join('；')}
        />
      )}
      <Form.Item name="diagnosis" label={t('medical.form.diagnosis')} rules={[{ required: true, max: 200 }]}>
        <Input />
      </Form.Item>
      <Space size="large">
        <Form.Item name="admittedOn" label={t('medical.form.admittedOn')} rules={[{ required: true }]}>
          <DatePicker allowClear={false} />
        </Form.Item>
        <Form.Item name="visitsPerWeek" label={t('medical.form.visitsPerWeek')} rules={[{ required: true }]}>
          <InputNumber min={1} max={14} precision={0} />
        </Form.Item>
      </Space>
      <Form.Item label={t('medical.form.planItems')} required>
        <Form.List name="planItems">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Flex key={f.key} gap={8} align="baseline">
                  <Form.Item
                    name={[f.name, 'code']}
                    rules={[{ required: true, pattern: /^[A-Za-z0-9._-]{1,40}$/ }]}
                    style={{ width: 150 }}
                  >
                    <Input placeholder={t('medical.form.itemCode')} aria-label={`${t('medical.form.itemCode')} ${i + 1}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, max: 100 }]} style={{ flex: 1 }}>
                    <Input placeholder={t('medical.form.itemName')} aria-label={`${t('medical.form.itemName')} ${i + 1}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'amount']} rules={[{ required: true }]} style={{ width: 130 }}>
                    <InputNumber
                      min={0}
                      max={100000}
                      precision={2}
                      prefix="¥"
                      placeholder={t('medical.form.itemAmount')}
                      aria-label={`${t('medical.form.itemAmount')} ${i + 1}`}
                    />
                  </Form.Item>
                  {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(f.name)} />}
                </Flex>
              ))}
              {fields.length < 20 && (
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ code: '', name: '', amount: 0 })}>
                  {t('medical.form.addItem')}
                </Button>
              )}
            </>
          )}
        </Form.List>
      </Form.Item>
    </FormModal>
  );
}

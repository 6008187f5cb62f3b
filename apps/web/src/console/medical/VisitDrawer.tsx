import type { MEDICAL_VISIT_STATUSES, MedicalVisitDetail } from '@zhiyang/shared';
import { Alert, Descriptions, Drawer, Spin, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { medicalApi } from '../../api/medical.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { yuan } from './MedicalTable.tsx';

type Status = (typeof MEDICAL_VISIT_STATUSES)[number];
const STATUS_COLOURS: Record<Status, string | undefined> = {
  requested: 'orange',
  scheduled: 'blue',
  done: 'green',
  cancelled: undefined,
};

export function VisitStatusTag({ status }: { status: Status }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOURS[status]}>{t(`medical.status.${status}`)}</Tag>;
}

const VITALS = [
  ['systolic', 'mmHg'],
  ['diastolic', 'mmHg'],
  ['pulse', '次/分'],
  ['temperature', '℃'],
  ['glucose', 'mmol/L'],
  ['spo2', '%'],
] as const;

/** One home visit's record (the read is audited on the server as an elder record read). */
export function VisitDrawer({ id, onClose }: { id: string | null; onClose(): void; onChanged?(): void }) {
  const { t } = useTranslation();
  const visit = useFetch(
    (signal) => (id ? medicalApi.getVisit({ params: { id }, signal }) : Promise.resolve(undefined)),
    `visit|${id}`,
  );
  const v = visit.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={640}
      title={v ? t('medical.form.visitTitle', { name: v.elderName }) : ''}
      destroyOnHidden
    >
      {visit.loading && <Spin />}
      {visit.error !== undefined && <Alert type="error" showIcon title={problemText(visit.error, t)} />}
      {v && <VisitRecord v={v} />}
    </Drawer>
  );
}

export function VisitRecord({ v }: { v: MedicalVisitDetail }) {
  const { t } = useTranslation();
  const vitals = VITALS.filter(([k]) => v.vitals?.[k] !== undefined)
    .map(([k, unit]) => `${t(`medical.phone.${k}`)} ${v.vitals?.[k]}${unit}`)
    .join('，');
  return (
    <>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('medical.col.status')}>
          <VisitStatusTag status={v.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('medical.col.teamShort')}>{v.teamName}</Descriptions.Item>
        <Descriptions.Item label={t('medical.col.source')}>{t(`medical.source.${v.source}`)}</Descriptions.Item>
        <Descriptions.Item label={t('medical.col.reason')}>{v.reason}</Descriptions.Item>
        <Descriptions.Item label={t('medical.col.scheduledOn')}>{v.scheduledOn ?? t('medical.list.pending')}</Descriptions.Item>
        <Descriptions.Item label={t('medical.col.doctor')}>{v.memberName ?? '—'}</Descriptions.Item>
        {v.status === 'done' ? (
          <>
            <Descriptions.Item label={t('medical.form.visitedAt')}>
              {v.visitedAt ? new Date(v.visitedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('medical.form.checkIn')}>
              {v.checkInMethod === 'qr'
                ? t('medical.form.checkInQr')
                : t('medical.form.checkInGps', { m: v.checkInDistanceM ?? '—' })}
            </Descriptions.Item>
            <Descriptions.Item label={t('medical.form.findings')}>{v.findings}</Descriptions.Item>
            <Descriptions.Item label={t('medical.form.advice')}>{v.advice ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('medical.form.vitals')}>{vitals || '—'}</Descriptions.Item>
          </>
        ) : (
          <Descriptions.Item label={t('medical.form.findings')}>{t('medical.form.noRecord')}</Descriptions.Item>
        )}
      </Descriptions>
      {v.billing.length > 0 && <BillingTable lines={v.billing} />}
    </>
  );
}

export function BillingTable({ lines }: { lines: MedicalVisitDetail['billing'] }) {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('medical.form.billing')}
      </Typography.Title>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={lines}
        data-testid="medical-billing"
        columns={[
          { title: t('medical.form.serviceOn'), dataIndex: 'serviceOn' },
          { title: t('medical.form.itemCode'), dataIndex: 'itemCode' },
          { title: t('medical.form.itemName'), dataIndex: 'itemName' },
          { title: t('medical.form.quantity'), dataIndex: 'quantity' },
          { title: t('medical.form.amount'), dataIndex: 'amountFen', render: yuan },
          { title: t('medical.col.status'), key: 'status', render: () => t('medical.form.billingStatus') },
        ]}
      />
    </>
  );
}

import { todayCst } from '@zhiyang/shared';
import { Alert, App, Button, DatePicker, Descriptions, Drawer, Form, Input, Space, Spin, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { medicalApi } from '../../api/medical.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { yuan } from './MedicalTable.tsx';
import { BillingTable, VisitStatusTag } from './VisitDrawer.tsx';
import { ScheduleModal } from './VisitsTab.tsx';

/** A 家庭病床 episode: the admission check, the plan, the rounds, the billing lines; next round and 撤床. */
export function EpisodeDrawer({ id, onClose, onChanged }: { id: string | null; onClose(): void; onChanged(): void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [scheduling, setScheduling] = useState(false);
  const [discharging, setDischarging] = useState(false);
  const episode = useFetch(
    (signal) => (id ? medicalApi.getEpisode({ params: { id }, signal }) : Promise.resolve(undefined)),
    `episode|${id}`,
  );
  const e = episode.data;
  const changed = () => {
    episode.reload();
    onChanged();
  };
  const mayAct = can('medical:visit') && e?.status === 'open';
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={760}
      destroyOnHidden
      title={e ? t('medical.form.episodeTitle', { name: e.elderName }) : ''}
      extra={
        mayAct && (
          <Space>
            <Button onClick={() => setScheduling(true)}>{t('medical.form.nextVisit')}</Button>
            <Button danger onClick={() => setDischarging(true)}>
              {t('medical.form.discharge')}
            </Button>
          </Space>
        )
      }
    >
      {episode.loading && !e && <Spin />}
      {episode.error !== undefined && <Alert type="error" showIcon title={problemText(episode.error, t)} />}
      {e && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="medical-episode">
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('medical.col.status')}>
              <Tag color={e.status === 'open' ? 'green' : undefined}>{t(`medical.episodeStatus.${e.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('medical.col.teamShort')}>{e.teamName}</Descriptions.Item>
            <Descriptions.Item label={t('medical.col.diagnosis')}>{e.diagnosis}</Descriptions.Item>
            <Descriptions.Item label={t('medical.col.admittedOn')}>{e.admittedOn}</Descriptions.Item>
            <Descriptions.Item label={t('medical.col.visitsPerWeek')}>{e.visitsPerWeek}</Descriptions.Item>
            <Descriptions.Item label={t('medical.col.billed')}>{yuan(e.billedFen)}</Descriptions.Item>
            <Descriptions.Item label={t('medical.form.criteriaCheck')} span={2}>
              {e.criteriaCheck.checks.map((k) => `${k.passed ? '✓' : '✗'} ${k.detail}`).join('；')}
            </Descriptions.Item>
            {e.status === 'discharged' && (
              <>
                <Descriptions.Item label={t('medical.form.dischargedOn')}>{e.dischargedOn}</Descriptions.Item>
                <Descriptions.Item label={t('medical.form.summary')}>{e.dischargeSummary}</Descriptions.Item>
              </>
            )}
          </Descriptions>
          <Typography.Title level={5}>{t('medical.form.plan')}</Typography.Title>
          <Table
            rowKey="code"
            size="small"
            pagination={false}
            dataSource={e.planItems}
            columns={[
              { title: t('medical.form.itemCode'), dataIndex: 'code' },
              { title: t('medical.form.itemName'), dataIndex: 'name' },
              { title: t('medical.form.itemAmount'), dataIndex: 'amountFen', render: yuan },
            ]}
          />
          <Typography.Title level={5}>{t('medical.form.visits')}</Typography.Title>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={e.visits}
            data-testid="medical-episode-visits"
            columns={[
              { title: t('medical.col.scheduledOn'), dataIndex: 'scheduledOn', render: (d) => d ?? t('medical.list.pending') },
              { title: t('medical.col.reason'), dataIndex: 'reason' },
              { title: t('medical.col.doctor'), dataIndex: 'memberName', render: (v) => v ?? '—' },
              { title: t('medical.col.status'), dataIndex: 'status', render: (s) => <VisitStatusTag status={s} /> },
            ]}
          />
          <BillingTable lines={e.billing} />
        </Space>
      )}
      <ScheduleModal
        visit={scheduling && e ? { id: e.id, teamId: e.teamId, elderName: e.elderName } : null}
        episode={e?.id}
        onClose={() => setScheduling(false)}
        onDone={() => {
          setScheduling(false);
          changed();
        }}
      />
      <DischargeModal
        episode={discharging && e ? { id: e.id, elderName: e.elderName } : null}
        onClose={() => setDischarging(false)}
        onDone={() => {
          setDischarging(false);
          changed();
        }}
      />
    </Drawer>
  );
}

function DischargeModal({
  episode,
  onClose,
  onDone,
}: {
  episode: { id: string; elderName: string } | null;
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ dischargedOn: dayjs.Dayjs; summary: string }>();
  return (
    <FormModal
      open={episode !== null}
      mode="edit"
      title={t('medical.form.dischargeTitle', { name: episode?.elderName ?? '' })}
      form={form}
      onClose={onClose}
      fields={['dischargedOn', 'summary']}
      values={{ dischargedOn: dayjs(todayCst()) }}
      onSubmit={async (v) => {
        if (!episode) return;
        await medicalApi.discharge({
          params: { id: episode.id },
          body: { dischargedOn: v.dischargedOn.format('YYYY-MM-DD'), summary: v.summary },
        });
        message.success(t('medical.form.saved'));
        onDone();
      }}
    >
      <Form.Item name="dischargedOn" label={t('medical.form.dischargedOn')} rules={[{ required: true }]}>
        <DatePicker allowClear={false} />
      </Form.Item>
      <Form.Item name="summary" label={t('medical.form.summary')} rules={[{ required: true, min: 2, max: 1000 }]}>
        <Input.TextArea rows={4} />
      </Form.Item>
    </FormModal>
  );
}

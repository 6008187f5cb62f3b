import type { SurvivalVisitTask } from '@zhiyang/shared';
import { Alert, App, Button, Card, Input, Modal, Segmented, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { survivalApi } from '../../api/allowance-survival.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';

/** 上门认证任务: elders whose face verification failed three times this period, for staff to visit. */
export function VisitTasksPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [status, setStatus] = useState<'open' | 'done' | 'all'>('open');
  const [closing, setClosing] = useState<SurvivalVisitTask>();
  const [note, setNote] = useState('');
  const list = useFetch(
    (signal) => survivalApi.listVisitTasks({ query: status === 'all' ? {} : { status }, signal }),
    `visit-tasks:${status}`,
  );
  const close = async () => {
    if (!closing || !note.trim()) return;
    try {
      await survivalApi.completeVisitTask({ params: { id: closing.id }, body: { note: note.trim() } });
      setClosing(undefined);
      setNote('');
      list.reload();
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  return (
    <Card
      title={t('survival.tasks.title')}
      extra={
        <Segmented
          value={status}
          onChange={(v) => setStatus(v as typeof status)}
          options={[
            { value: 'open', label: t('survival.tasks.statuses.open') },
            { value: 'done', label: t('survival.tasks.statuses.done') },
            { value: 'all', label: t('survival.tasks.all') },
          ]}
        />
      }
    >
      <Alert type="info" showIcon message={t('survival.tasks.hint')} style={{ marginBottom: 12 }} />
      <Table<SurvivalVisitTask>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items}
        pagination={{ pageSize: 50 }}
        columns={[
          { title: t('survival.tasks.elder'), dataIndex: 'elderName' },
          { title: t('survival.tasks.region'), dataIndex: 'regionName' },
          { title: t('survival.tasks.period'), dataIndex: 'period' },
          { title: t('survival.tasks.failures'), dataIndex: 'failures' },
          {
            title: t('survival.tasks.status'),
            dataIndex: 'status',
            render: (s: 'open' | 'done') => (
              <Tag color={s === 'open' ? 'orange' : 'green'}>{t(`survival.tasks.statuses.${s}`)}</Tag>
            ),
          },
          {
            title: t('survival.tasks.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
          },
          { title: t('survival.tasks.note'), dataIndex: 'note' },
          {
            title: t('allowances.common.actions'),
            render: (_, r) =>
              r.status === 'open' &&
              can('allowance:write') && (
                <Button size="small" onClick={() => setClosing(r)}>
                  {t('survival.tasks.done')}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={Boolean(closing)}
        title={t('survival.tasks.doneTitle')}
        onCancel={() => setClosing(undefined)}
        onOk={() => void close()}
        okButtonProps={{ disabled: !note.trim() }}
      >
        <Input.TextArea
          rows={3}
          maxLength={200}
          value={note}
          placeholder={t('survival.tasks.notePlaceholder')}
          onChange={(e) => setNote(e.target.value)}
        />
      </Modal>
    </Card>
  );
}

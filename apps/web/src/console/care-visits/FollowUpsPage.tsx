import { App, Button, Card, Input, Modal, Segmented, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { careVisitsApi } from '../../api/care-visits.ts';
import { useCountedList } from '../../app/counted-list.ts';
import { problemText } from '../../app/problems.ts';
import { type FollowUp, useCareScope } from './common.ts';

type Filter = 'open' | 'overdue' | 'closed' | 'all';

/** 跟进事项: follow-ups of visit findings, open first by deadline; overdue in red; closed with what was done. */
export function FollowUpsPage() {
  const { t } = useTranslation();
  const { regionCode } = useCareScope();
  const [filter, setFilter] = useState<Filter>('open');
  const [page, setPage] = useState(1);
  const [closing, setClosing] = useState<FollowUp | null>(null);
  const list = useCountedList(
    (signal, count) =>
      careVisitsApi.listFollowUps({
        query: {
          regionCode,
          page,
          limit: 20,
          count: count ? 'true' : undefined,
          ...(filter === 'open' ? { status: 'open' } : filter === 'closed' ? { status: 'closed' } : {}),
          ...(filter === 'overdue' ? { overdue: 'true' } : {}),
        },
        signal,
      }),
    `care-follow-ups-${regionCode}-${filter}`,
    page,
  );
  return (
    <Card
      title={t('careVisits.followUps.title')}
      extra={
        <Segmented<Filter>
          value={filter}
          onChange={(f) => {
            setFilter(f);
            setPage(1);
          }}
          options={[
            { value: 'open', label: t('careVisits.status.open') },
            { value: 'overdue', label: t('careVisits.common.overdue') },
            { value: 'closed', label: t('careVisits.status.closed') },
            { value: 'all', label: t('careVisits.visits.all') },
          ]}
        />
      }
    >
      <Table<FollowUp>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items}
        pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('careVisits.common.elder'), dataIndex: 'elderName' },
          { title: t('careVisits.common.region'), dataIndex: 'regionName' },
          { title: t('careVisits.followUps.finding'), render: (_, f) => t(`careVisits.findings.${f.findingType}`) },
          { title: t('careVisits.followUps.type'), render: (_, f) => <Tag>{t(`careVisits.followUpTypes.${f.type}`)}</Tag> },
          { title: t('careVisits.followUps.detail'), dataIndex: 'detail' },
          {
            title: t('careVisits.followUps.link'),
            render: (_, f) =>
              f.orderNo
                ? t('careVisits.followUps.order', {
                    no: f.orderNo,
                    status: t(`service.orders.statuses.${f.orderStatus}` as never, { defaultValue: '' }),
                  })
                : f.alarmId
                  ? t('careVisits.followUps.alarm', {
                      status: t(`safety.status.${f.alarmStatus}` as never, { defaultValue: '' }),
                    })
                  : '—',
          },
          {
            title: t('careVisits.followUps.deadline'),
            render: (_, f) => <span style={{ color: f.overdue ? '#cf1322' : undefined }}>{f.deadline}</span>,
          },
          {
            title: t('careVisits.followUps.status'),
            render: (_, f) =>
              f.overdue ? (
                <Tag color="red">{t('careVisits.common.overdue')}</Tag>
              ) : (
                <Tag color={f.status === 'open' ? 'blue' : 'green'}>{t(`careVisits.status.${f.status}`)}</Tag>
              ),
          },
          {
            title: t('careVisits.followUps.closedAt'),
            render: (_, f) => (f.closedAt ? `${dayjs(f.closedAt).format('YYYY-MM-DD HH:mm')} ${f.closingNote ?? ''}` : '—'),
          },
          {
            title: '',
            render: (_, f) =>
              f.status === 'open' && (
                <Button type="link" onClick={() => setClosing(f)}>
                  {t('careVisits.followUps.close')}
                </Button>
              ),
          },
        ]}
      />
      {closing && <CloseModal f={closing} onClose={() => setClosing(null)} onDone={list.reload} />}
    </Card>
  );
}

function CloseModal({ f, onClose, onDone }: { f: FollowUp; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [note, setNote] = useState('');
  const close = async () => {
    try {
      await careVisitsApi.closeFollowUp({ params: { id: f.id }, body: { note: note.trim() } });
      message.success(t('careVisits.common.saved'));
      onDone();
      onClose();
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  return (
    <Modal
      open
      title={t('careVisits.followUps.closeTitle')}
      onCancel={onClose}
      onOk={() => void close()}
      okButtonProps={{ disabled: note.trim().length < 2 }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <span>
          {f.elderName} · {t(`careVisits.followUpTypes.${f.type}`)} · {f.detail}
        </span>
        <Input.TextArea
          rows={3}
          maxLength={500}
          placeholder={t('careVisits.followUps.closeNote')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Space>
    </Modal>
  );
}

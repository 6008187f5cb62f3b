import type { CareVisitTask } from '@zhiyang/shared';
import { App, Button, Form, Input, Segmented, Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { campaignsApi } from '../../api/campaigns.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatTime } from '../../app/format.ts';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { ListPage } from '../common/ListPage.tsx';

const PAGE_SIZE = 20;

/** Why the visit is due, in words: 连续 3 天未接通（共拨打 9 次）. */
export function visitReason(task: Pick<CareVisitTask, 'reason' | 'days' | 'attempts'>, t: TFunction): string {
  if (task.days !== null && task.attempts !== null)
    return t('elders.visits.reasonUnreached', { days: task.days, attempts: task.attempts });
  return t('elders.visits.reasonUnreachedShort');
}

/**
 * 上门探访任务: elders of the worker's area whom the care calls could not reach (elder:read), to
 * be visited at home; one who may edit elders (elder:write) records the visit with a note.
 */
export function VisitTasksPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const regions = useRegions();
  const [open, setOpen] = useState(true);
  const [page, setPage] = useState(1);
  const [doing, setDoing] = useState<CareVisitTask | null>(null);
  const [form] = Form.useForm<{ note?: string }>();
  const list = useFetch(
    (signal) => campaignsApi.listVisitTasks({ query: { open: open ? 'true' : 'false' }, signal }),
    `visit-tasks-${open}`,
  );

  return (
    <ListPage<CareVisitTask>
      title={t('elders.visits.title')}
      extra={<Button onClick={list.reload}>{t('common.refresh')}</Button>}
      filters={
        <Segmented
          value={open ? 'open' : 'all'}
          onChange={(v) => {
            setOpen(v === 'open');
            setPage(1);
          }}
          options={[
            { value: 'open', label: t('elders.visits.open') },
            { value: 'all', label: t('elders.visits.all') },
          ]}
          data-testid="visit-filter"
        />
      }
      list={list}
      page={page}
      pageSize={PAGE_SIZE}
      onPage={setPage}
      rowKey="id"
      locale={{ emptyText: open ? t('elders.visits.none') : t('elders.visits.noneAll') }}
      data-testid="visit-tasks"
      columns={[
        {
          title: t('elders.visits.elder'),
          dataIndex: 'elderName',
          render: (v: string, task) => <Link to={`/console/elders/${task.elderId}`}>{v}</Link>,
        },
        {
          title: t('elders.visits.community'),
          dataIndex: 'regionCode',
          render: (c: string) => regions.nameOf(c) ?? '—',
        },
        { title: t('elders.visits.reason'), key: 'reason', render: (_, task) => visitReason(task, t) },
        {
          title: t('elders.visits.campaigns'),
          dataIndex: 'campaigns',
          render: (cs: CareVisitTask['campaigns']) => (
            <Space size={2} wrap>
              {cs.map((c) => (
                <Tag key={c.id}>{c.name}</Tag>
              ))}
            </Space>
          ),
        },
        { title: t('elders.visits.createdAt'), dataIndex: 'createdAt', render: formatTime },
        {
          // Done: when, and what the worker found; open: the button (or 待探访 for a reader).
          title: t('elders.visits.visit'),
          key: 'visit',
          width: 300,
          render: (_, task) =>
            task.doneAt ? (
              <Space direction="vertical" size={0}>
                <Space size={4}>
                  <Tag color="green">{t('elders.visits.done')}</Tag>
                  {formatTime(task.doneAt)}
                </Space>
                {task.doneNote && (
                  <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, tooltip: task.doneNote }} style={{ margin: 0 }}>
                    {task.doneNote}
                  </Typography.Paragraph>
                )}
              </Space>
            ) : can('elder:write') ? (
              <Button size="small" type="primary" onClick={() => setDoing(task)} data-testid="visit-done">
                {t('elders.visits.markDone')}
              </Button>
            ) : (
              <Tag color="orange">{t('elders.visits.open')}</Tag>
            ),
        },
      ]}
    >
      <FormModal<{ note?: string }>
        open={doing !== null}
        title={t('elders.visits.markDoneTitle', { name: doing?.elderName ?? '' })}
        form={form}
        fields={['note']}
        preserve={false}
        onClose={() => setDoing(null)}
        onSubmit={async (v) => {
          if (!doing) return;
          const note = v.note?.trim();
          await campaignsApi.completeVisitTask({ params: { id: doing.id }, body: note ? { note } : {} });
          message.success(t('elders.visits.doneSaved'));
          setDoing(null);
          list.reload();
        }}
      >
        <Form.Item name="note" label={t('elders.visits.note')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={4} maxLength={500} showCount placeholder={t('elders.visits.notePlaceholder')} />
        </Form.Item>
      </FormModal>
    </ListPage>
  );
}

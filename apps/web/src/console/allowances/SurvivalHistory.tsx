import type { SurvivalAttempt, SurvivalVisitTask } from '@zhiyang/shared';
import { Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { survivalApi } from '../../api/allowance-survival.ts';
import { useAuth } from '../../app/auth.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { KioskSurvival } from './KioskSurvival.tsx';

type Verification = Awaited<ReturnType<typeof survivalApi.getSurvivalHistory>>['verifications'][number];
const at = (s: string) => dayjs(s).format('YYYY-MM-DD HH:mm');

/** The application drawer's 生存认证记录: results with their channel, the face attempts with their reason, the visit tasks. */
export function SurvivalHistory({ id, version, onChanged }: { id: string; version: number; onChanged(): void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const h = useFetch((signal) => survivalApi.getSurvivalHistory({ params: { id }, signal }), `survival:${id}:${version}`);
  const d = h.data;
  if (!d) return null;
  const result = (r: 'passed' | 'failed') => <Tag color={r === 'passed' ? 'green' : 'red'}>{t(`survival.results.${r}`)}</Tag>;
  return (
    <div data-testid="survival-history">
      <h4>{t('survival.history.title')}</h4>
      <Space style={{ marginBottom: 8 }}>
        <Tag color={d.verifiedThisPeriod ? 'green' : 'orange'}>
          {d.period} ·{' '}
          {t(d.verifiedThisPeriod ? 'survival.history.verifiedThisPeriod' : 'survival.history.notVerifiedThisPeriod')}
        </Tag>
        <span>{t('survival.history.triesLeft', { n: d.triesLeft })}</span>
        {can('allowance:write') && d.triesLeft > 0 && (
          <KioskSurvival
            applicationId={id}
            onDone={() => {
              h.reload();
              onChanged();
            }}
          />
        )}
      </Space>
      <Table<Verification>
        size="small"
        rowKey={(v) => `${v.at}:${v.period}`}
        dataSource={d.verifications}
        pagination={false}
        title={() => t('survival.history.verifications')}
        columns={[
          { title: t('survival.history.period'), dataIndex: 'period' },
          {
            title: t('survival.history.channel'),
            render: (_, v) => (v.channel ? t(`survival.channels.${v.channel}`) : t(`survival.methods.${v.method}`)),
          },
          { title: t('survival.history.result'), dataIndex: 'result', render: result },
          { title: t('survival.history.at'), dataIndex: 'at', render: at },
        ]}
      />
      <Table<SurvivalAttempt>
        size="small"
        rowKey="id"
        dataSource={d.attempts}
        pagination={false}
        title={() => t('survival.history.attempts')}
        columns={[
          { title: t('survival.history.at'), dataIndex: 'at', render: at },
          {
            title: t('survival.history.channel'),
            dataIndex: 'channel',
            render: (c: SurvivalAttempt['channel']) => t(`survival.channels.${c}`),
          },
          { title: t('survival.history.result'), dataIndex: 'result', render: result },
          {
            title: t('survival.history.reason'),
            dataIndex: 'reason',
            render: (r: SurvivalAttempt['reason']) => (r ? t(`survival.reasons.${r}`) : '—'),
          },
          { title: t('survival.history.by'), dataIndex: 'actorName' },
        ]}
      />
      {d.visitTasks.length > 0 && (
        <Table<SurvivalVisitTask>
          size="small"
          rowKey="id"
          dataSource={d.visitTasks}
          pagination={false}
          title={() => t('survival.history.tasks')}
          columns={[
            { title: t('survival.tasks.period'), dataIndex: 'period' },
            { title: t('survival.tasks.failures'), dataIndex: 'failures' },
            {
              title: t('survival.tasks.status'),
              dataIndex: 'status',
              render: (s: 'open' | 'done') => (
                <Tag color={s === 'open' ? 'orange' : 'green'}>{t(`survival.tasks.statuses.${s}`)}</Tag>
              ),
            },
            { title: t('survival.tasks.note'), dataIndex: 'note' },
          ]}
        />
      )}
    </div>
  );
}

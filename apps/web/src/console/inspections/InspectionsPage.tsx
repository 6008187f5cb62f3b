import { INSPECTED_ORG_TYPE_LABELS_ZH, INSPECTION_STATUS_LABELS_ZH, type InspectionStatus } from '@zhiyang/shared';
import { Button, Card, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { inspectionsApi } from '../../api/inspections.ts';
import { useMe } from '../../app/auth.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { DrillTags, drillMonth, inMonth, monthZh, useDrill } from '../common/drill.tsx';
import { gradeText } from './grade.ts';
import { InspectionDetail } from './InspectionDetail.tsx';
import { NewRoundModal } from './NewRoundModal.tsx';

const STATUS_COLOR: Record<InspectionStatus, string> = { self_assessment: 'orange', assessing: 'blue', finished: 'green' };

/**
 * 检查评级: the rounds of the district (a quarter's or a year's inspections), each institution's
 * and centre's inspection with its self-assessment and the assessor's score, and one inspection
 * opened below: the checklist side by side, the findings and their rectification, the grade
 * history. An institution's staff see their own inspections only and fill in the self-assessment.
 */
export function InspectionsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const mayAssess = me.permissions.includes('inspection:assess');
  const [version, setVersion] = useState(0);
  const [roundId, setRoundId] = useState<string>();
  const [openId, setOpenId] = useState<string>();
  const [newRound, setNewRound] = useState(false);
  // 监管看板's 本月完成检查 opens the inspections finished in its month, of every round.
  const drill = useDrill();
  const [month, setMonth] = useState(() => drillMonth(drill));
  const rounds = useFetch((signal) => inspectionsApi.listRounds({ signal }), `rounds:${version}`);
  useEffect(() => {
    if (!month && !roundId && rounds.data?.items.length) setRoundId(rounds.data.items[0].id);
  }, [rounds.data, roundId, month]);
  const list = useFetch(
    (signal) => inspectionsApi.listInspections({ query: roundId ? { roundId } : {}, signal }),
    `inspections:${roundId}:${version}`,
  );
  const round = rounds.data?.items.find((r) => r.id === roundId);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={t('inspections.title')}
        extra={
          <Space>
            <Select
              style={{ width: 260 }}
              value={roundId}
              placeholder={t('inspections.round')}
              aria-label={t('inspections.round')}
              options={(rounds.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
              onChange={(v) => {
                setMonth(undefined);
                drill.clear('month');
                setRoundId(v);
                setOpenId(undefined);
              }}
            />
            {mayAssess && (
              <Button type="primary" onClick={() => setNewRound(true)}>
                {t('inspections.newRound')}
              </Button>
            )}
          </Space>
        }
      >
        <DrillTags
          drill={drill}
          tags={[
            month && {
              key: 'month',
              label: `${monthZh(month)}完成的检查（全部轮次）`,
              onClear: () => setMonth(undefined),
            },
          ]}
        />
        {round && (
          <Typography.Paragraph type="secondary">
            {t('inspections.progress', { finished: round.finished, total: round.inspections, open: round.openFindings })}
          </Typography.Paragraph>
        )}
        {!rounds.loading && !rounds.data?.items.length ? (
          <Empty description={t('inspections.noRound')} />
        ) : (
          <Table
            rowKey="id"
            size="small"
            loading={list.loading}
            dataSource={(list.data?.items ?? []).filter(
              (r) => !month || (r.status === 'finished' && inMonth(r.finishedAt, month)),
            )}
            pagination={false}
            onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
            rowClassName={(r) => (r.id === openId ? 'ant-table-row-selected' : '')}
            columns={[
              { title: t('inspections.org'), dataIndex: 'orgName' },
              {
                title: t('inspections.orgType'),
                dataIndex: 'orgType',
                render: (v: 'institution') => INSPECTED_ORG_TYPE_LABELS_ZH[v],
              },
              { title: t('inspections.template'), dataIndex: 'templateName' },
              {
                title: t('inspections.status'),
                dataIndex: 'status',
                render: (v: InspectionStatus) => <Tag color={STATUS_COLOR[v]}>{INSPECTION_STATUS_LABELS_ZH[v]}</Tag>,
              },
              {
                title: t('inspections.selfScore'),
                dataIndex: 'selfScore',
                render: (v: number | null) => v ?? t('inspections.none'),
              },
              {
                title: t('inspections.total'),
                render: (_: unknown, r) => (r.totalScore === null ? t('inspections.none') : `${r.totalScore} / ${r.maxScore}`),
              },
              {
                title: t('inspections.grade'),
                render: (_: unknown, r) => (r.status === 'finished' ? gradeText(r.grade, t) : t('inspections.none')),
              },
              { title: t('inspections.openFindings'), dataIndex: 'openFindings' },
              {
                title: '',
                render: (_: unknown, r) => (
                  <Button size="small" onClick={() => setOpenId(r.id)}>
                    {t('inspections.open')}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Card>
      {openId && <InspectionDetail key={openId} id={openId} onChanged={() => setVersion((v) => v + 1)} />}
      <NewRoundModal
        open={newRound}
        onClose={() => setNewRound(false)}
        onCreated={(id) => {
          setNewRound(false);
          setRoundId(id);
          setVersion((v) => v + 1);
        }}
      />
    </Space>
  );
}

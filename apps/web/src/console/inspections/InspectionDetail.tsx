import type { InspectionDetail as Detail } from '@zhiyang/shared';
import { App, Button, Card, Descriptions, Input, InputNumber, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { inspectionsApi } from '../../api/inspections.ts';
import { useMe } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { FindingsCard } from './FindingsCard.tsx';
import { gradeText } from './grade.ts';

type Line = { score: number | null; note: string };
type Item = Detail['items'][number];

/**
 * One inspection: every checklist item with the organisation's own score and the assessor's
 * side by side (the one editing types into their column), the totals by part, finishing with the
 * grade, the findings and the organisation's grade history.
 */
export function InspectionDetail({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const [version, setVersion] = useState(0);
  const d = useFetch((signal) => inspectionsApi.getInspection({ params: { id }, signal }), `inspection:${id}:${version}`);
  const data = d.data;
  const mayAssess = me.permissions.includes('inspection:assess') && data?.status !== 'finished';
  const maySelf = me.permissions.includes('inspection:self') && data?.status === 'self_assessment';
  const [lines, setLines] = useState<Record<string, Line>>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!data) return;
    setLines(
      Object.fromEntries(
        data.items.map((i) => [
          i.code,
          maySelf ? { score: i.selfScore, note: i.selfNote ?? '' } : { score: i.score, note: i.note ?? '' },
        ]),
      ),
    );
  }, [data, maySelf]);
  const history = useFetch(
    (signal) =>
      data ? inspectionsApi.gradeHistory({ params: { id: data.orgId }, signal }) : Promise.resolve({ items: [], total: 0 }),
    `grades:${data?.orgId}:${version}`,
  );
  if (!data) return <Card loading />;
  const editing = mayAssess || maySelf;
  const changed = () => {
    setVersion((v) => v + 1);
    onChanged();
  };
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
      message.success(t('inspections.saved'));
      changed();
    } catch (e) {
      message.error(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };
  const scores = () =>
    Object.entries(lines)
      .filter(([, l]) => l.score !== null || l.note)
      .map(([itemCode, l]) => ({ itemCode, score: l.score, note: l.note || undefined }));
  const saveSelf = (submit: boolean) =>
    run(() => inspectionsApi.saveSelfAssessment({ params: { id }, body: { scores: scores(), submit } }));
  const saveScores = () => run(() => inspectionsApi.saveScores({ params: { id }, body: { scores: scores() } }));
  const finish = () =>
    run(async () => {
      if (scores().length) await inspectionsApi.saveScores({ params: { id }, body: { scores: scores() } });
      await inspectionsApi.finishInspection({ params: { id } });
    });
  const set = (code: string, patch: Partial<Line>) =>
    setLines((prev) => ({ ...prev, [code]: { ...(prev[code] ?? { score: null, note: '' }), ...patch } }));
  const scoreCell = (own: boolean, value: number | null, i: Item) =>
    own ? (
      <InputNumber
        size="small"
        min={0}
        max={i.max}
        step={0.5}
        value={lines[i.code]?.score ?? null}
        aria-label={`${i.code}`}
        onChange={(v) => set(i.code, { score: v ?? null })}
        style={{ width: 80 }}
      />
    ) : (
      (value ?? t('inspections.none'))
    );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={`${data.orgName} · ${data.templateName}`}
        extra={
          <Space>
            {maySelf && (
              <>
                <Button loading={busy} onClick={() => saveSelf(false)}>
                  {t('inspections.saveSelf')}
                </Button>
                <Popconfirm title={t('inspections.submitSelfConfirm')} onConfirm={() => saveSelf(true)}>
                  <Button type="primary" loading={busy}>
                    {t('inspections.submitSelf')}
                  </Button>
                </Popconfirm>
              </>
            )}
            {mayAssess && (
              <>
                <Button loading={busy} onClick={saveScores}>
                  {t('inspections.saveScores')}
                </Button>
                <Popconfirm title={t('inspections.finishConfirm')} onConfirm={finish}>
                  <Button type="primary" loading={busy}>
                    {t('inspections.finish')}
                  </Button>
                </Popconfirm>
              </>
            )}
          </Space>
        }
      >
        {data.status === 'finished' && (
          <Typography.Title level={4} data-testid="inspection-result">
            {t('inspections.finished', { score: data.totalScore, grade: gradeText(data.grade, t) })}
          </Typography.Title>
        )}
        <Descriptions size="small" column={4} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('inspections.period')}>{data.period}</Descriptions.Item>
          <Descriptions.Item label={t('inspections.selfScore')}>{data.selfScore ?? t('inspections.none')}</Descriptions.Item>
          <Descriptions.Item label={t('inspections.assessor')}>{data.assessorName ?? t('inspections.none')}</Descriptions.Item>
          <Descriptions.Item label={t('inspections.status')}>
            {data.selfSubmittedAt
              ? t('inspections.selfSubmittedAt', { at: dayjs(data.selfSubmittedAt).format('YYYY-MM-DD HH:mm') })
              : t('inspections.none')}
          </Descriptions.Item>
        </Descriptions>
        <Table
          rowKey="section"
          size="small"
          pagination={false}
          style={{ marginBottom: 12 }}
          dataSource={data.sections}
          columns={[
            { title: t('inspections.section'), dataIndex: 'section' },
            { title: t('inspections.max'), dataIndex: 'max' },
            { title: t('inspections.selfScore'), dataIndex: 'selfScore' },
            { title: t('inspections.score'), dataIndex: 'score' },
          ]}
        />
        <Table
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={data.items}
          scroll={{ y: 560 }}
          columns={[
            { title: t('inspections.section'), dataIndex: 'section', width: 90 },
            { title: t('inspections.item'), dataIndex: 'text' },
            { title: t('inspections.max'), dataIndex: 'max', width: 60 },
            {
              title: t('inspections.selfScore'),
              width: 110,
              render: (_: unknown, i: Item) => scoreCell(maySelf, i.selfScore, i),
            },
            { title: t('inspections.score'), width: 110, render: (_: unknown, i: Item) => scoreCell(mayAssess, i.score, i) },
            {
              title: t('inspections.note'),
              width: 260,
              render: (_: unknown, i: Item) =>
                editing ? (
                  <Input
                    size="small"
                    maxLength={500}
                    value={lines[i.code]?.note ?? ''}
                    onChange={(e) => set(i.code, { note: e.target.value })}
                  />
                ) : (
                  <Typography.Text type="secondary">{[i.selfNote, i.note].filter(Boolean).join('；')}</Typography.Text>
                ),
            },
          ]}
        />
      </Card>
      <FindingsCard inspection={data} onChanged={changed} />
      <Card title={t('inspections.gradeHistory')} size="small">
        {history.data?.items.length ? (
          <Space wrap>
            {history.data.items.map((g) => (
              <Tag key={g.inspectionId} color="gold" style={{ fontSize: 14, padding: '4px 8px' }}>
                {g.period} · {gradeText(g.grade, t)} · {g.score} · {g.awardedOn}
              </Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('inspections.noHistory')}</Typography.Text>
        )}
      </Card>
    </Space>
  );
}

import { EditOutlined, PrinterOutlined, SignatureOutlined } from '@ant-design/icons';
import { ASSESSMENT_DIMENSIONS, ASSESSMENT_ITEMS, DIMENSION_MAX } from '@zhiyang/shared';
import { Alert, App, Button, Card, Descriptions, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { assessmentReportUrl, assessmentsApi } from '../../api/assessments.ts';
import { useAuth, useMe } from '../../app/auth.tsx';
import { formatTime } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { LEVEL_COLOR } from '../elders/ElderListPage.tsx';

/** /console/assessments/:id — scores, level, signatures; sign, print, correct. */
export function AssessmentViewPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const me = useMe();
  const navigate = useNavigate();
  const a = useFetch((signal) => assessmentsApi.getAssessment({ params: { id }, signal }), id);
  if (a.error !== undefined) return <Alert type="error" showIcon title={problemText(a.error, t)} />;
  const x = a.data;
  if (!x) return <Card loading />;
  const signedByMe = x.assessors.some((s) => s.id === me.id);

  async function sign() {
    try {
      await assessmentsApi.signAssessment({ params: { id } });
      message.success(t('elders.assess.signed'));
      a.reload();
    } catch (err) {
      message.error(problemText(err, t));
    }
  }

  return (
    <Card
      title={
        <Space>
          {t('elders.assess.title')} · <Link to={`/console/elders/${x.elderId}`}>{x.elderName}</Link>
          <Tag>{t(`elders.assess.status.${x.status}`)}</Tag>
        </Space>
      }
      extra={
        <Space wrap>
          <Button icon={<PrinterOutlined />} onClick={() => window.open(assessmentReportUrl(id))}>
            {t('elders.assess.report')}
          </Button>
          {can('assessment:write') && x.status === 'draft' && !signedByMe && (
            <Button type="primary" icon={<SignatureOutlined />} onClick={sign} data-testid="assessment-sign">
              {t('elders.assess.sign')}
            </Button>
          )}
          {can('assessment:write') && x.status === 'signed' && (
            <Button
              icon={<EditOutlined />}
              onClick={() => navigate(`/console/assessments/new?elderId=${x.elderId}&corrects=${x.id}`)}
            >
              {t('elders.assess.correct')}
            </Button>
          )}
        </Space>
      }
    >
      <Descriptions bordered size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('elders.assess.reason')}>{t(`elders.reasons.${x.reason}`)}</Descriptions.Item>
        <Descriptions.Item label={t('elders.assess.assessedOn')}>{x.assessedOn}</Descriptions.Item>
        <Descriptions.Item label={t('elders.assess.location')}>{x.location ?? t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={t('elders.assess.total')}>{x.total} / 90</Descriptions.Item>
        <Descriptions.Item label={t('elders.assess.preliminary')}>{t(`elders.level.${x.preliminaryLevel}`)}</Descriptions.Item>
        <Descriptions.Item label={t('elders.assess.finalLevel')}>
          <Tag color={LEVEL_COLOR[x.level]}>{t(`elders.level.${x.level}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('elders.assess.adjustments')} span={3}>
          {x.adjustments.length ? x.adjustments.map((j) => <div key={j}>{t(`elders.adjustment.${j}`)}</div>) : t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('elders.assess.signedBy')} span={2}>
          {x.assessors.map((s) => `${s.name}（${formatTime(s.signedAt)}）`).join('；') || t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('elders.field.nextAssessmentDue')}>{x.nextDue ?? t('common.none')}</Descriptions.Item>
      </Descriptions>
      <Table
        style={{ marginTop: 16 }}
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={ASSESSMENT_DIMENSIONS.flatMap((d) => [
          {
            key: d,
            no: '',
            name: t(`elders.dimensions.${d}`),
            score: `${x.subtotals[d]} / ${DIMENSION_MAX[d]}`,
            wording: '',
            dim: true,
          },
          ...ASSESSMENT_ITEMS.filter((i) => i.dimension === d).map((i) => ({
            key: i.key,
            no: String(i.no),
            name: i.zh,
            score: `${x.scores[i.key]} / ${i.max}`,
            wording: i.levels.find((l) => l.score === x.scores[i.key])?.zh ?? '',
            dim: false,
          })),
        ])}
        onRow={(r) => ({ style: r.dim ? { background: '#f0f5ff', fontWeight: 600 } : undefined })}
        columns={[
          { dataIndex: 'no', width: 50 },
          { dataIndex: 'name', width: 160 },
          { dataIndex: 'score', width: 90 },
          { dataIndex: 'wording' },
        ]}
      />
    </Card>
  );
}

import { PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import type { Assessment } from '@zhiyang/shared';
import { Button, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { assessmentReportUrl, assessmentsApi } from '../../api/assessments.ts';
import { useAuth } from '../../app/auth.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { LEVEL_COLOR } from './ElderListPage.tsx';

export function ElderAssessmentsTab({ elderId }: { elderId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const list = useFetch((signal) => assessmentsApi.listAssessments({ query: { elderId, limit: 50 }, signal }), elderId);
  return (
    <>
      {can('assessment:write') && (
        <Button
          icon={<PlusOutlined />}
          onClick={() => navigate(`/console/assessments/new?elderId=${elderId}`)}
          style={{ marginBottom: 12 }}
        >
          {t('elders.assess.newAssessment')}
        </Button>
      )}
      <Table<Assessment>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items}
        pagination={false}
        onRow={(a) => ({ onClick: () => navigate(`/console/assessments/${a.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('elders.assess.assessedOn'), dataIndex: 'assessedOn' },
          { title: t('elders.assess.reason'), dataIndex: 'reason', render: (r: string) => t(`elders.reasons.${r as 'first'}`) },
          { title: t('elders.assess.total'), dataIndex: 'total' },
          {
            title: t('elders.assess.finalLevel'),
            dataIndex: 'level',
            render: (l: string) => <Tag color={LEVEL_COLOR[l]}>{t(`elders.level.${l as 'mild'}`)}</Tag>,
          },
          {
            title: t('elders.field.status'),
            dataIndex: 'status',
            render: (s: string) => t(`elders.assess.status.${s as 'draft'}`),
          },
          {
            title: t('elders.assess.signedBy'),
            dataIndex: 'assessors',
            render: (xs: Assessment['assessors']) => xs.map((x) => x.name).join('、'),
          },
          {
            title: '',
            render: (_: unknown, a) => (
              <Space>
                <Button
                  size="small"
                  icon={<PrinterOutlined />}
                  onClick={(ev) => {
                    ev.stopPropagation();
                    window.open(assessmentReportUrl(a.id));
                  }}
                >
                  {t('elders.assess.report')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}

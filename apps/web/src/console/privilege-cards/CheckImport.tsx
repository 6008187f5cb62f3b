import type { PrivilegeCardCheckImportReport as Report } from '@zhiyang/shared';
import { Alert, Space, Table, Tag, Typography, type UploadFile } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { privilegeCardsApi } from '../../api/privilege-cards.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { SpreadsheetPicker } from '../common/SpreadsheetPicker.tsx';

const COLOR: Record<Report['outcomes'][number]['outcome'], string> = {
  passed: 'green',
  failed: 'red',
  pending: 'blue',
  no_application: 'default',
  bad_id: 'orange',
  bad_result: 'orange',
};

/**
 * The external data check (外部数据核验): upload the result file 人社 / 公安 / 卫健 sent back and
 * see each row's outcome (the matched elder's name, never the ID number).
 */
export function CheckImport({ onImported }: { onImported(): void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [file, setFile] = useState<UploadFile | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);

  async function upload() {
    if (!file?.originFileObj) return;
    setUploading(true);
    setError(null);
    setReport(null);
    const body = new FormData();
    body.append('file', file.originFileObj, file.name);
    try {
      setReport(await privilegeCardsApi.importChecks({ body }));
      onImported();
    } catch (err) {
      setError(problemText(err, t));
    } finally {
      setUploading(false);
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('privilegeCards.import.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('privilegeCards.import.hint')}
      </Typography.Paragraph>
      <SpreadsheetPicker
        file={file}
        onPick={(f) => {
          setFile(f);
          setReport(null);
          setError(null);
        }}
        onUpload={() => void upload()}
        uploading={uploading}
        pickText={t('privilegeCards.import.pick')}
        uploadText={t('privilegeCards.import.upload')}
        disabled={!can('card:write')}
      />
      {error && <Alert type="error" showIcon message={error} />}
      {report && (
        <>
          <Alert
            type={report.skipped.length ? 'warning' : 'success'}
            showIcon
            data-testid="check-import-summary"
            message={t('privilegeCards.import.summary', { ...report, skipped: report.skipped.length })}
          />
          <Table
            size="small"
            rowKey="row"
            pagination={report.outcomes.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            dataSource={report.outcomes}
            data-testid="check-import-rows"
            columns={[
              { title: t('privilegeCards.import.row'), dataIndex: 'row', width: 80 },
              {
                title: t('privilegeCards.import.elder'),
                dataIndex: 'elderName',
                render: (v: string | null) => v ?? t('privilegeCards.console.none'),
              },
              {
                title: t('privilegeCards.import.outcome'),
                dataIndex: 'outcome',
                render: (v: Report['outcomes'][number]['outcome']) => (
                  <Tag color={COLOR[v]}>{t(`privilegeCards.import.outcomes.${v}`)}</Tag>
                ),
              },
              { title: t('privilegeCards.import.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '' },
            ]}
          />
        </>
      )}
    </Space>
  );
}

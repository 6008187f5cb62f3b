import type { PhysicalImportResult } from '@zhiyang/shared';
import { Alert, Card, Space, Table, Typography, type UploadFile } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { healthRecordsApi } from '../../api/health-records.ts';
import { problemText } from '../../app/problems.ts';
import { SpreadsheetPicker } from '../common/SpreadsheetPicker.tsx';

/** The columns the import reads (docs/health-records.md has the ranges). */
const COLUMNS = [
  '身份证号',
  '体检日期',
  '体检机构',
  '身高(cm)',
  '体重(kg)',
  '收缩压',
  '舒张压',
  '心率',
  '空腹血糖',
  '总胆固醇',
  '甘油三酯',
  '心电图',
  '体检结论',
];

/** 体检导入: the examining institution's sheet in, every refused row back with its column and reason. */
export function PhysicalsImportPage() {
  const { t } = useTranslation();
  const [file, setFile] = useState<UploadFile | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<PhysicalImportResult>();

  const upload = async () => {
    if (!file?.originFileObj) return;
    setBusy(true);
    setError(undefined);
    const body = new FormData();
    body.append('file', file.originFileObj, file.name);
    try {
      setResult(await healthRecordsApi.importPhysicals({ body }));
    } catch (err) {
      setError(problemText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 1100 }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('healthRecords.importTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('healthRecords.importHint')}</Typography.Paragraph>
      <Card size="small" title={t('healthRecords.columns')}>
        <Typography.Text code>{COLUMNS.join('  ')}</Typography.Text>
      </Card>
      <Card size="small">
        <Space direction="vertical" style={{ width: '100%' }}>
          <SpreadsheetPicker
            file={file}
            onPick={(f) => {
              setFile(f);
              setResult(undefined);
            }}
            onUpload={upload}
            uploading={busy}
            pickText={t('healthRecords.pick')}
            uploadText={t('healthRecords.upload')}
          />
          {error && <Alert type="error" showIcon message={error} />}
          {result && (
            <Alert
              type={result.errors.length ? 'warning' : 'success'}
              showIcon
              message={t('healthRecords.result', { total: result.total, imported: result.imported })}
            />
          )}
        </Space>
      </Card>
      {result && result.errors.length > 0 && (
        <Card size="small" title={t('healthRecords.errors')}>
          <Table
            size="small"
            rowKey={(e) => `${e.row}:${e.field}:${e.message}`}
            dataSource={result.errors}
            pagination={{ pageSize: 20 }}
            columns={[
              { title: t('healthRecords.row'), dataIndex: 'row', width: 80 },
              { title: t('healthRecords.field'), dataIndex: 'field', width: 140 },
              { title: t('healthRecords.message'), dataIndex: 'message' },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}

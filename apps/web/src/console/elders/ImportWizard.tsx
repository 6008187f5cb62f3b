import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import type { ElderImport as ImportRecord } from '@zhiyang/shared';
import { Alert, Button, Flex, Modal, Progress, Result, Space, Spin, Steps, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { elderImportErrorsUrl, elderImportTemplateUrl, eldersApi } from '../../api/elders.ts';
import { problemText } from '../../app/problems.ts';

/** Template → upload → progress and result with the Chinese error report. */
export function ImportWizard({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const [record, setRecord] = useState<ImportRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);

  // Poll the import while it runs; the server commits its progress with every batch of a few hundred rows.
  useEffect(() => {
    if (record?.status !== 'running') return;
    const timer = setTimeout(async () => {
      try {
        setRecord(await eldersApi.getImport({ params: { id: record.id } }));
      } catch (err) {
        setError(problemText(err, t));
      }
    }, 1000);
    return () => clearTimeout(timer);
  }, [record, t]);

  async function upload(file: File) {
    setError(null);
    setUploading(true);
    try {
      const form = new FormData();
      form.append('file', file);
      setRecord(await eldersApi.startImport({ body: form }));
    } catch (err) {
      setError(problemText(err, t));
    } finally {
      setUploading(false);
    }
  }

  const reset = () => {
    setRecord(null);
    setError(null);
  };
  const step = record ? 2 : 1;
  const percent = record?.totalRows ? Math.floor((record.processedRows / record.totalRows) * 100) : 0;

  return (
    <Modal
      open={open}
      title={t('elders.import.title')}
      width={640}
      footer={null}
      onCancel={() => {
        reset();
        onClose();
      }}
      destroyOnHidden
    >
      <Steps
        size="small"
        current={step}
        items={[{ title: t('elders.import.step1') }, { title: t('elders.import.step2') }, { title: t('elders.import.step3') }]}
        style={{ marginBottom: 24 }}
      />
      {!record && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph>{t('elders.import.templateHint')}</Typography.Paragraph>
          <Button icon={<DownloadOutlined />} onClick={() => window.open(elderImportTemplateUrl())}>
            {t('elders.import.download')}
          </Button>
          <Upload.Dragger
            accept=".xlsx,.csv"
            multiple={false}
            showUploadList={false}
            disabled={uploading}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
            data-testid="elder-import-upload"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p>{t('elders.import.upload')}</p>
          </Upload.Dragger>
        </Space>
      )}
      {uploading && (
        <Flex gap={12} align="center" style={{ marginTop: 16 }}>
          <Spin />
          <Typography.Text>{t('elders.import.reading')}</Typography.Text>
        </Flex>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} />}
      {record?.status === 'running' && (
        <div>
          <Progress percent={percent} status="active" />
          <Typography.Text>
            {t('elders.import.running', {
              processed: record.processedRows,
              total: record.totalRows,
              created: record.createdCount,
              updated: record.updatedCount,
              unchanged: record.unchangedCount,
              errors: record.errorCount,
            })}
          </Typography.Text>
        </div>
      )}
      {record && record.status !== 'running' && (
        <Result
          status={record.status === 'failed' ? 'error' : record.errorCount ? 'warning' : 'success'}
          title={
            record.status === 'failed'
              ? t('elders.import.failed')
              : t('elders.import.done', {
                  created: record.createdCount,
                  updated: record.updatedCount,
                  unchanged: record.unchangedCount,
                  errors: record.errorCount,
                })
          }
          subTitle={record.failure ?? undefined}
          extra={[
            record.errorCount > 0 && (
              <Button key="report" icon={<DownloadOutlined />} onClick={() => window.open(elderImportErrorsUrl(record.id))}>
                {t('elders.import.errorReport')}
              </Button>
            ),
            <Button key="again" type="primary" onClick={reset}>
              {t('elders.import.again')}
            </Button>,
          ]}
        />
      )}
    </Modal>
  );
}

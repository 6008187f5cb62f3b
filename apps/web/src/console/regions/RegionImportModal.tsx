import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import type { RegionImportReport as ImportReport } from '@zhiyang/shared';
import { Alert, Button, Modal, Table, Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { regionImportTemplateUrl, regionsApi } from '../../api/regions.ts';
import { problemText } from '../../app/problems.ts';

interface Props {
  open: boolean;
  onClose(): void;
  /** Called after an import that wrote rows. */
  onImported(): void;
}

/** Upload a CSV/XLSX of regions; the server writes all rows or none and reports row errors. */
export function RegionImportModal({ open, onClose, onImported }: Props) {
  const { t } = useTranslation();
  const [file, setFile] = useState<UploadFile | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);

  function reset() {
    setFile(null);
    setReport(null);
    setError(null);
  }

  async function upload() {
    if (!file?.originFileObj) return;
    setUploading(true);
    setError(null);
    setReport(null);
    const body = new FormData();
    body.append('file', file.originFileObj, file.name);
    try {
      const result = await regionsApi.importRegions({ body });
      setReport(result);
      if (result.errors.length === 0) onImported();
    } catch (err) {
      setError(problemText(err, t));
    } finally {
      setUploading(false);
    }
  }

  return (
    <Modal
      open={open}
      title={t('regions.importTitle')}
      onCancel={onClose}
      afterClose={reset}
      width={640}
      footer={[
        <Button key="close" onClick={onClose}>
          {t('common.close')}
        </Button>,
        <Button key="import" type="primary" disabled={!file} loading={uploading} onClick={upload}>
          {t('regions.import')}
        </Button>,
      ]}
    >
      <Typography.Paragraph type="secondary">
        {t('regions.importHint')}{' '}
        <a href={regionImportTemplateUrl()} download>
          <DownloadOutlined /> {t('regions.template')}
        </a>
      </Typography.Paragraph>
      <Upload.Dragger
        accept=".csv,.xlsx"
        maxCount={1}
        fileList={file ? [file] : []}
        beforeUpload={() => false}
        onChange={({ fileList }) => {
          setFile(fileList.at(-1) ?? null);
          setReport(null);
          setError(null);
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('regions.chooseFile')}</p>
        <p className="ant-upload-hint">.csv / .xlsx</p>
      </Upload.Dragger>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} />}
      {report && report.errors.length === 0 && (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 16 }}
          title={t('regions.importDone', { created: report.created, updated: report.updated })}
        />
      )}
      {report && report.errors.length > 0 && (
        <>
          <Alert
            type="error"
            showIcon
            style={{ margin: '16px 0 12px' }}
            title={t('regions.importFailed', { count: report.errors.length })}
          />
          <Table
            size="small"
            rowKey={(e) => `${e.row}:${e.message}`}
            dataSource={report.errors}
            pagination={report.errors.length > 10 ? { pageSize: 10 } : false}
            columns={[
              { title: t('regions.row'), dataIndex: 'row', width: 80 },
              { title: t('regions.problem'), dataIndex: 'message' },
            ]}
          />
        </>
      )}
    </Modal>
  );
}

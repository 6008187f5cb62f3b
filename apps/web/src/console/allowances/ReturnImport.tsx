import { Alert, Button, Modal, Space, Table, Tag, Typography, type UploadFile } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allowanceBackOfficeApi, allowanceBankFileUrl } from '../../api/allowance-back-office.ts';
import { problemText } from '../../app/problems.ts';
import { SpreadsheetPicker } from '../common/SpreadsheetPicker.tsx';

type Report = Awaited<ReturnType<typeof allowanceBackOfficeApi.importReturns>>;
type Outcome = Report['lines'][number]['outcome'];
const COLOR: Record<Outcome, string> = {
  failed: 'red',
  already_failed: 'default',
  not_in_roll: 'orange',
  amount_mismatch: 'orange',
  bad_row: 'orange',
};

/**
 * On an approved roll: the bank file in the two text layouts, and 导入回盘文件 — the bank's failed
 * lines, each row's outcome shown (name and masked ID only).
 */
export function BankFileActions({ roll, onImported }: { roll: { id: string; month: string }; onImported(): void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
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
      setReport(await allowanceBackOfficeApi.importReturns({ params: { id: roll.id }, body }));
      onImported();
    } catch (err) {
      setError(problemText(err, t));
    } finally {
      setUploading(false);
    }
  }

  return (
    <>
      {(['csv', 'fixed'] as const).map((f) => (
        <Button key={f} size="small" href={allowanceBankFileUrl(roll.id, f)}>
          {t(`allowances.backOffice.bankFile.${f}`)}
        </Button>
      ))}
      <Button size="small" onClick={() => setOpen(true)}>
        {t('allowances.backOffice.returns.import')}
      </Button>
      <Modal
        open={open}
        width={860}
        title={t('allowances.backOffice.returns.title', { month: roll.month })}
        onCancel={() => {
          setOpen(false);
          setFile(null);
          setReport(null);
          setError(null);
        }}
        footer={null}
        destroyOnHidden
      >
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('allowances.backOffice.returns.hint')}
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
            pickText={t('allowances.backOffice.returns.pick')}
            uploadText={t('allowances.backOffice.returns.upload')}
          />
          {error && <Alert type="error" showIcon message={error} />}
          {report && (
            <>
              <Alert
                type={report.rejected ? 'warning' : 'success'}
                showIcon
                data-testid="return-import-summary"
                message={t('allowances.backOffice.returns.summary', {
                  ...report,
                  yuan: (report.failedFen / 100).toFixed(2),
                })}
              />
              <Table
                size="small"
                rowKey="row"
                data-testid="return-import-rows"
                pagination={report.lines.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                dataSource={report.lines}
                columns={[
                  { title: t('allowances.backOffice.returns.row'), dataIndex: 'row', width: 70 },
                  {
                    title: t('allowances.applications.name'),
                    dataIndex: 'elderName',
                    render: (v: string | null) => v ?? t('allowances.common.none'),
                  },
                  {
                    title: t('allowances.applications.idNumber'),
                    dataIndex: 'idNumberMasked',
                    render: (v: string | null) => v ?? t('allowances.common.none'),
                  },
                  { title: t('allowances.applications.month'), dataIndex: 'month', render: (v: string | null) => v ?? '' },
                  {
                    title: t('allowances.applications.amount'),
                    dataIndex: 'amountFen',
                    render: (v: number | null) => (v === null ? '' : t('allowances.common.yuan', { v: (v / 100).toFixed(2) })),
                  },
                  {
                    title: t('allowances.backOffice.returns.outcome'),
                    dataIndex: 'outcome',
                    render: (v: Outcome) => <Tag color={COLOR[v]}>{t(`allowances.backOffice.returns.outcomes.${v}`)}</Tag>,
                  },
                  {
                    title: t('allowances.backOffice.corrections.reason'),
                    dataIndex: 'reason',
                    render: (v: string | null) => v ?? '',
                  },
                ]}
              />
            </>
          )}
        </Space>
      </Modal>
    </>
  );
}

import { DEATH_SOURCES } from '@zhiyang/shared';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  type UploadFile,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allowanceBackOfficeApi } from '../../api/allowance-back-office.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { SpreadsheetPicker } from '../common/SpreadsheetPicker.tsx';

type Report = Awaited<ReturnType<typeof allowanceBackOfficeApi.importDeaths>>;
type Recovery = Awaited<ReturnType<typeof allowanceBackOfficeApi.listRecoveries>>['items'][number];
type Source = (typeof DEATH_SOURCES)[number];
const OUTCOME_COLOR: Record<Report['lines'][number]['outcome'], string> = {
  recorded: 'red',
  already_recorded: 'default',
  unmatched: 'orange',
  bad_row: 'orange',
  out_of_reach: 'orange',
};
const STATUS_COLOR: Record<Recovery['status'], string> = {
  open: 'red',
  partial: 'orange',
  recovered: 'green',
  waived: 'default',
};

/**
 * 死亡比对与追回: the district imports a death list from 公安 / 卫健 / 殡葬 and sees each row's
 * outcome; everyone in reach sees the overpayments to recover and records money paid back.
 */
export function DeathsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [source, setSource] = useState<Source>('police');
  const [file, setFile] = useState<UploadFile | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [repaying, setRepaying] = useState<Recovery>();
  const [form] = Form.useForm();
  const recoveries = useFetch((signal) => allowanceBackOfficeApi.listRecoveries({ query: {}, signal }), 'allowance-recoveries');
  const y = (fen: number) => t('allowances.common.yuan', { v: (fen / 100).toFixed(2) });

  async function upload() {
    if (!file?.originFileObj) return;
    setUploading(true);
    setError(null);
    setReport(null);
    const body = new FormData();
    body.append('file', file.originFileObj, file.name);
    try {
      setReport(await allowanceBackOfficeApi.importDeaths({ query: { source }, body }));
      recoveries.reload();
    } catch (err) {
      setError(problemText(err, t));
    } finally {
      setUploading(false);
    }
  }
  const repay = async () => {
    const v = await form.validateFields();
    if (!repaying) return;
    await allowanceBackOfficeApi
      .recordRepayment({
        params: { id: repaying.applicationId },
        body: { amountFen: Math.round(v.yuan * 100), paidOn: v.paidOn.format('YYYY-MM-DD'), note: v.note || undefined },
      })
      .then(
        () => {
          message.success(t('allowances.backOffice.deaths.saved'));
          setRepaying(undefined);
          form.resetFields();
          recoveries.reload();
        },
        (e) => message.error(problemText(e, t)),
      );
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      {can('allowance:manage') && (
        <Card title={t('allowances.backOffice.deaths.importTitle')}>
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t('allowances.backOffice.deaths.hint')}
            </Typography.Paragraph>
            <Space>
              <span>{t('allowances.backOffice.deaths.source')}</span>
              <Select<Source>
                style={{ width: 140 }}
                value={source}
                onChange={setSource}
                options={DEATH_SOURCES.map((s) => ({ value: s, label: t(`allowances.backOffice.deaths.sources.${s}`) }))}
              />
            </Space>
            <SpreadsheetPicker
              file={file}
              onPick={(f) => {
                setFile(f);
                setReport(null);
                setError(null);
              }}
              onUpload={() => void upload()}
              uploading={uploading}
              pickText={t('allowances.backOffice.deaths.pick')}
              uploadText={t('allowances.backOffice.deaths.upload')}
            />
            {error && <Alert type="error" showIcon message={error} />}
            {report && (
              <>
                <Alert
                  type={report.unmatched || report.rejected ? 'warning' : 'success'}
                  showIcon
                  data-testid="death-import-summary"
                  message={t('allowances.backOffice.deaths.summary', { ...report, yuan: (report.overpaidFen / 100).toFixed(2) })}
                />
                <Table
                  size="small"
                  rowKey="row"
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
                    { title: t('allowances.backOffice.deaths.deathDate'), dataIndex: 'deathDate' },
                    {
                      title: t('allowances.backOffice.deaths.outcome'),
                      dataIndex: 'outcome',
                      render: (v: Report['lines'][number]['outcome']) => (
                        <Tag color={OUTCOME_COLOR[v]}>{t(`allowances.backOffice.deaths.outcomes.${v}`)}</Tag>
                      ),
                    },
                    {
                      title: t('allowances.backOffice.deaths.overpaid'),
                      dataIndex: 'overpaidFen',
                      render: (v: number) => (v ? y(v) : ''),
                    },
                    {
                      title: t('allowances.backOffice.deaths.reason'),
                      dataIndex: 'reason',
                      render: (v: string | null) => v ?? '',
                    },
                  ]}
                />
              </>
            )}
          </Space>
        </Card>
      )}
      <Card title={t('allowances.backOffice.deaths.recoveries')}>
        <Table<Recovery>
          rowKey="id"
          loading={recoveries.loading}
          dataSource={recoveries.data?.items}
          locale={{ emptyText: t('allowances.backOffice.deaths.empty') }}
          pagination={{ pageSize: 20 }}
          columns={[
            { title: t('allowances.applications.name'), dataIndex: 'elderName' },
            { title: t('allowances.applications.idNumber'), dataIndex: 'idNumberMasked' },
            { title: t('allowances.applications.region'), dataIndex: 'regionName' },
            { title: t('allowances.backOffice.deaths.deathDate'), dataIndex: 'deathDate' },
            { title: t('allowances.backOffice.deaths.lastPaid'), dataIndex: 'lastPaidMonth' },
            { title: t('allowances.backOffice.deaths.months'), dataIndex: 'months' },
            { title: t('allowances.backOffice.deaths.amount'), dataIndex: 'amountFen', render: y },
            { title: t('allowances.backOffice.deaths.repaid'), dataIndex: 'repaidFen', render: y },
            {
              title: t('allowances.backOffice.deaths.status'),
              dataIndex: 'status',
              render: (v: Recovery['status']) => (
                <Tag color={STATUS_COLOR[v]}>{t(`allowances.backOffice.deaths.statuses.${v}`)}</Tag>
              ),
            },
            {
              title: t('allowances.common.actions'),
              render: (_, r) =>
                (r.status === 'open' || r.status === 'partial') &&
                can('allowance:write') && (
                  <Button
                    size="small"
                    onClick={() => {
                      form.setFieldsValue({ yuan: (r.amountFen - r.repaidFen) / 100, paidOn: dayjs(), note: '' });
                      setRepaying(r);
                    }}
                  >
                    {t('allowances.backOffice.deaths.repay')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <Modal
        open={!!repaying}
        title={repaying ? t('allowances.backOffice.deaths.repayTitle', { name: repaying.elderName }) : ''}
        onOk={repay}
        onCancel={() => setRepaying(undefined)}
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item name="yuan" label={t('allowances.backOffice.deaths.repayAmount')} rules={[{ required: true }]}>
            <InputNumber
              min={0.01}
              max={repaying ? (repaying.amountFen - repaying.repaidFen) / 100 : undefined}
              precision={2}
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.Item name="paidOn" label={t('allowances.backOffice.deaths.paidOn')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="note" label={t('allowances.backOffice.deaths.note')} rules={[{ max: 200 }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

import { UploadOutlined } from '@ant-design/icons';
import { DOCUMENT_KINDS } from '@zhiyang/shared';
import { App, Button, List, Select, Space, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allowanceBackOfficeApi, allowanceDocumentUrl } from '../../api/allowance-back-office.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';

type Kind = (typeof DOCUMENT_KINDS)[number];
const MAX_BYTES = 5 * 1024 * 1024;

/** 证明材料 in the application drawer: the scans attached (opened in a new tab, each view audited) and an upload. */
export function DocumentsSection({ applicationId }: { applicationId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [kind, setKind] = useState<Kind>('id_card');
  const [busy, setBusy] = useState(false);
  const docs = useFetch(
    (signal) => allowanceBackOfficeApi.listDocuments({ params: { id: applicationId }, signal }),
    `allowance-docs:${applicationId}`,
  );
  async function send(file: File) {
    if (file.size > MAX_BYTES) {
      message.error(t('allowances.backOffice.documents.tooLarge'));
      return;
    }
    setBusy(true);
    const body = new FormData();
    body.append('file', file, file.name);
    try {
      await allowanceBackOfficeApi.uploadDocument({ params: { id: applicationId }, query: { kind }, body });
      message.success(t('allowances.backOffice.documents.uploaded'));
      docs.reload();
    } catch (err) {
      message.error(problemText(err, t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div data-testid="allowance-documents">
      <h4>{t('allowances.backOffice.documents.title')}</h4>
      <List
        size="small"
        loading={docs.loading}
        dataSource={docs.data?.items ?? []}
        locale={{ emptyText: t('allowances.backOffice.documents.empty') }}
        renderItem={(d) => (
          <List.Item
            actions={[
              <a key="open" href={allowanceDocumentUrl(applicationId, d.id)} target="_blank" rel="noreferrer">
                {t('allowances.backOffice.documents.open')}
              </a>,
            ]}
          >
            {t(`allowances.backOffice.documents.kinds.${d.kind}`)} · {d.filename} · {Math.max(1, Math.ceil(d.bytes / 1024))} KB ·{' '}
            {dayjs(d.uploadedAt).format('YYYY-MM-DD HH:mm')}
          </List.Item>
        )}
      />
      {can('allowance:write') && (
        <Space style={{ marginTop: 8 }}>
          <Select<Kind>
            style={{ width: 120 }}
            value={kind}
            onChange={setKind}
            options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`allowances.backOffice.documents.kinds.${k}`) }))}
          />
          <Upload
            accept=".pdf,.jpg,.jpeg,.png"
            showUploadList={false}
            beforeUpload={(f) => {
              void send(f);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={busy}>
              {t('allowances.backOffice.documents.upload')}
            </Button>
          </Upload>
          <Typography.Text type="secondary">{t('allowances.backOffice.documents.hint')}</Typography.Text>
        </Space>
      )}
    </div>
  );
}

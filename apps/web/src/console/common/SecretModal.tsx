import { KeyOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export interface Secret {
  title: string;
  /** Whom the secret is for, named in the default hint. */
  name: string;
  /** What to do with the secret, when not the default (hand the password to `name`). */
  hint?: string;
  value: string;
}

/**
 * Shows a generated secret (password, invite code, device secret) exactly once, with a copy
 * button. The server does not keep it in clear, so closing this modal is the last chance to read it.
 */
export function SecretModal({ secret, onClose }: { secret: Secret | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={secret !== null}
      title={
        <span>
          <KeyOutlined style={{ marginRight: 8 }} />
          {secret?.title}
        </span>
      }
      onCancel={onClose}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={secret?.hint ?? t('users.secretHint', { name: secret?.name ?? '' })} />
      <Typography.Paragraph
        data-testid="secret-value"
        copyable={{ text: secret?.value, tooltips: [t('common.copy'), t('common.copied')] }}
        style={{
          margin: '20px 0 4px',
          padding: '14px 16px',
          background: '#f4f8f7',
          border: '1px dashed #9cc9bf',
          borderRadius: 8,
          fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
          fontSize: 22,
          letterSpacing: 1,
          textAlign: 'center',
        }}
      >
        {secret?.value}
      </Typography.Paragraph>
    </Modal>
  );
}

import { SafetyCertificateOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { auditApi } from '../../api/audit.ts';
import { problemText } from '../../app/problems.ts';

/** Asks the server to walk the audit hash chain and shows whether it is intact. */
export function VerifyChainButton() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const [checking, setChecking] = useState(false);

  async function verify() {
    setChecking(true);
    try {
      const result = await auditApi.verifyChain();
      if (result.ok) {
        modal.success({ title: t('audit.verify'), content: t('audit.verifyOk', { checked: result.checked }) });
      } else {
        modal.error({
          title: t('audit.verify'),
          content: t('audit.verifyBroken', {
            id: result.brokenAt?.id ?? '?',
            checked: result.checked,
            reason: result.brokenAt?.reason ?? '',
          }),
        });
      }
    } catch (err) {
      message.error(problemText(err, t));
    } finally {
      setChecking(false);
    }
  }

  return (
    <Button icon={<SafetyCertificateOutlined />} loading={checking} onClick={verify} data-testid="verify-chain">
      {t('audit.verify')}
    </Button>
  );
}

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
      } else if (result.brokenAt) {
        modal.error({
          title: t('audit.verify'),
          content: t('audit.verifyBroken', {
            id: result.brokenAt.id,
            checked: result.checked,
            reason: t(`audit.verifyReasons.${result.brokenAt.reason}`),
          }),
        });
      } else {
        // Intact, but rows older than the sealing delay are still unsealed (no worker sealing).
        modal.warning({
          title: t('audit.verify'),
          content: t('audit.verifyUnsealed', {
            through: result.sealedThrough,
            checked: result.checked,
            stale: result.unsealed.stale,
            seconds: Math.round(result.unsealed.delayMs / 1000),
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

import type { RevealedElder } from '@zhiyang/shared';
import { Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { eldersApi } from '../../api/elders.ts';
import { problemText } from '../../app/problems.ts';

/** The full phones a reveal answers (the elder module's contract). */
export type RevealedPhones = RevealedElder;

/**
 * Full phones of the elder and the contacts for someone who does not hold the alarm (or after
 * it closed): the elder module's reveal, with a reason the server writes to the audit trail.
 */
export function PhoneRevealModal({
  elderId,
  onRevealed,
  onClose,
}: {
  elderId: string;
  onRevealed(r: RevealedPhones): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={t('safety.card.revealTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('safety.card.reveal')}
      okButtonProps={{ loading: busy, 'data-testid': 'phone-reveal-ok' } as never}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={async ({ reason }) => {
          setBusy(true);
          try {
            onRevealed(await eldersApi.reveal({ params: { id: elderId }, body: { fields: ['phone', 'contacts'], reason } }));
          } catch (err) {
            setError(problemText(err, t));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item
          name="reason"
          label={t('elders.detail.revealReason')}
          rules={[{ required: true, min: 2, message: t('elders.detail.revealReasonRequired') }]}
        >
          <Input maxLength={200} data-testid="phone-reveal-reason" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

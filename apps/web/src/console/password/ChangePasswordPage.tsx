import { checkPassword } from '@zhiyang/shared';
import { Alert, App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { authApi } from '../../api/auth.ts';
import { LOGIN_PATH, useAuth, useMe } from '../../app/auth.tsx';
import { applyFieldErrors, problemText } from '../../app/problems.ts';
import { AuthScreen } from '../common/AuthScreen.tsx';
import { PasswordRules } from './PasswordRules.tsx';

interface ChangeForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

const FIELDS = ['currentPassword', 'newPassword'] as const;

/**
 * Change one's own password. When `mustChangePassword` is set the console sends
 * the user here before anything else, and there is no way back but to change it.
 */
/** Back to the area that sent the user here (`?next=/worker`), never to another site. */
function returnPath(next: string | null): string {
  return next && /^\/(console|elder|worker|kiosk|screen)(\/|$)/.test(next) ? next : '/console';
}

export function ChangePasswordPage() {
  const me = useMe();
  const { refresh, logout } = useAuth();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const [form] = Form.useForm<ChangeForm>();
  const newPassword = Form.useWatch('newPassword', form) ?? '';
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onFinish(values: ChangeForm) {
    setSubmitting(true);
    setError(null);
    try {
      await authApi.changePassword({
        body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
        quiet401: true,
      });
      message.success(t('password.changed'));
      const next = await refresh();
      navigate(next ? returnPath(searchParams.get('next')) : LOGIN_PATH, { replace: true });
    } catch (err) {
      if (!applyFieldErrors(form, err, FIELDS)) setError(problemText(err, t));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <AuthScreen title={t('password.title')}>
      {me.mustChangePassword && <Alert type="info" showIcon title={t('password.forcedHint')} style={{ marginBottom: 20 }} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 20 }} data-testid="password-error" />}
      <Form<ChangeForm> form={form} layout="vertical" onFinish={onFinish} requiredMark={false} disabled={submitting}>
        <input type="text" name="username" autoComplete="username" value={me.username} readOnly hidden />
        <Form.Item
          name="currentPassword"
          label={t('password.current')}
          rules={[{ required: true, message: t('common.required', { field: t('password.current') }) }]}
        >
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          rules={[
            { required: true, message: t('common.required', { field: t('password.new') }) },
            {
              validator: async (_, value: string | undefined) => {
                const problems = checkPassword(value ?? '', me.username);
                if (value && problems.length) throw new Error(t(`passwordProblem.${problems[0]}`));
              },
            },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <PasswordRules password={newPassword} username={me.username} />
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('common.required', { field: t('password.confirm') }) },
            ({ getFieldValue }) => ({
              validator: async (_, value: string | undefined) => {
                if (value && value !== getFieldValue('newPassword')) throw new Error(t('password.mismatch'));
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item style={{ marginTop: 28 }}>
          <Button type="primary" htmlType="submit" block size="large" loading={submitting}>
            {t('password.submit')}
          </Button>
        </Form.Item>
        <Form.Item>
          {me.mustChangePassword ? (
            <Button type="link" block onClick={() => void logout().then(() => navigate(LOGIN_PATH, { replace: true }))}>
              {t('auth.logout')}
            </Button>
          ) : (
            <Button type="link" block onClick={() => navigate(-1)}>
              {t('common.back')}
            </Button>
          )}
        </Form.Item>
      </Form>
    </AuthScreen>
  );
}

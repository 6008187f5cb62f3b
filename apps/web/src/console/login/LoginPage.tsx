import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../app/api.ts';
import { CHANGE_PASSWORD_PATH, FullPageSpin, useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { ALARM_SOUND_KEY, enableSound } from '../alarms/alarm-ui.ts';
import { AuthScreen } from '../common/AuthScreen.tsx';

interface LoginForm {
  username: string;
  password: string;
}

/** Only console paths are valid return targets, so `?next=` cannot send the user off-site. */
function safeNext(next: string | null): string {
  return next?.startsWith('/console') && !next.startsWith(CHANGE_PASSWORD_PATH) ? next : '/console';
}

/** Our own words for the usual refusals; the server's detail adds the specifics where it gives any. */
function loginProblem(err: unknown, t: TFunction): { title: string; detail?: string } {
  const status = err instanceof ApiError ? err.status : 0;
  // A locked account answers like a wrong password (the server does not say which); the hint
  // tells a user who mistyped five times what to do.
  if (status === 401) return { title: t('auth.badCredentials'), detail: t('auth.lockHint') };
  if (status === 429) return { title: t('auth.rateLimited'), detail: problemText(err, t) };
  return { title: t('auth.failed'), detail: problemText(err, t) };
}

export function LoginPage() {
  const { t } = useTranslation();
  const { me, loading, login, sessionExpired } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<{ title: string; detail?: string } | null>(null);
  const next = safeNext(params.get('next'));

  if (loading) return <FullPageSpin />;
  if (me) return <Navigate to={me.mustChangePassword ? CHANGE_PASSWORD_PATH : next} replace />;

  async function onFinish(values: LoginForm) {
    setSubmitting(true);
    setError(null);
    try {
      const user = await login(values.username.trim(), values.password);
      // The sign-in click is the one click browsers need before a page may sound: an operator's
      // alarm centre can ring for a new P1 from the first minute (unless they turned sound off).
      if (user.permissions.includes('alarm:handle') && localStorage.getItem(ALARM_SOUND_KEY) !== 'off') enableSound();
      navigate(user.mustChangePassword ? CHANGE_PASSWORD_PATH : next, { replace: true });
    } catch (err) {
      setError(loginProblem(err, t));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <AuthScreen title={t('auth.title')}>
      {(error || sessionExpired) && (
        <Alert
          type={error ? 'error' : 'info'}
          showIcon
          title={error ? error.title : t('auth.sessionExpired')}
          description={error?.detail}
          style={{ marginBottom: 20 }}
          data-testid="login-error"
        />
      )}
      <Form<LoginForm> layout="vertical" size="large" onFinish={onFinish} requiredMark={false} disabled={submitting}>
        <Form.Item
          name="username"
          label={t('auth.username')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('auth.username') }) }]}
        >
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('auth.password')}
          rules={[{ required: true, message: t('common.required', { field: t('auth.password') }) }]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Form.Item style={{ marginTop: 28 }}>
          <Button type="primary" htmlType="submit" block loading={submitting}>
            {t('auth.submit')}
          </Button>
        </Form.Item>
      </Form>
    </AuthScreen>
  );
}

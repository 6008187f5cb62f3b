import type { Me } from '@zhiyang/shared';
import { App, Button, Form, Input, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { CHANGE_PASSWORD_PATH, useAuth } from '../app/auth.tsx';
import { problemText } from '../app/problems.ts';

/**
 * The way into a phone page (/worker, /elder, /family): sign in with that page's words, replace a
 * first password (the server refuses everything else until then), then the page itself.
 */
export function MobileGate({
  area,
  path,
  big,
  children,
}: {
  /** Whose i18n texts name the login (`<area>.login`, `.username`, `.password`). */
  area: 'worker' | 'elderHome' | 'family';
  /** Where to come back after the password change. */
  path: string;
  big?: boolean;
  children(me: Me): ReactNode;
}) {
  const { me, loading, login } = useAuth();
  const { t } = useTranslation();
  if (loading) return null;
  if (!me)
    return (
      <MobileLogin
        tx={{ login: t(`${area}.login`), username: t(`${area}.username`), password: t(`${area}.password`) }}
        onLogin={login}
        big={big}
      />
    );
  if (me.mustChangePassword) return <Navigate to={`${CHANGE_PASSWORD_PATH}?next=${path}`} replace />;
  return children(me);
}

/** A large-type login form for phones. */
export function MobileLogin({
  tx,
  onLogin,
  big,
}: {
  tx: { login: string; username: string; password: string };
  onLogin(u: string, p: string): Promise<unknown>;
  big?: boolean;
}) {
  const { message } = App.useApp();
  const { t } = useTranslation();
  const size = big ? 22 : 16;
  return (
    <div style={{ maxWidth: 420, margin: '0 auto', padding: 24, fontSize: size }}>
      <Typography.Title level={2}>智养 · {tx.login}</Typography.Title>
      <Form
        layout="vertical"
        onFinish={async (v) => {
          try {
            await onLogin(v.username, v.password);
          } catch (e) {
            message.error(problemText(e, t));
          }
        }}
      >
        <Form.Item name="username" label={<span style={{ fontSize: size }}>{tx.username}</span>} rules={[{ required: true }]}>
          <Input size="large" style={{ fontSize: size }} autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label={<span style={{ fontSize: size }}>{tx.password}</span>} rules={[{ required: true }]}>
          <Input.Password size="large" style={{ fontSize: size }} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block style={{ height: big ? 64 : 48, fontSize: big ? 26 : 18 }}>
          {tx.login}
        </Button>
      </Form>
    </div>
  );
}

import type { Me } from '@zhiyang/shared';
import { App, Button, Form, Input, type InputRef, Typography } from 'antd';
import { type CSSProperties, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { authApi } from '../api/auth.ts';
import { ApiError } from '../app/api.ts';
import { CHANGE_PASSWORD_PATH, useAuth } from '../app/auth.tsx';
import { problemText } from '../app/problems.ts';

/**
 * The way into a phone page (/worker, /elder, /family): sign in with that page's words, replace a
 * first password (the server refuses everything else until then), then the page itself. The
 * elder's and family's pages open on the login by phone number and text-message code.
 */
export function MobileGate({
  area,
  path,
  big,
  footer,
  children,
}: {
  /** Whose i18n texts name the login (`<area>.login`, `.username`, `.password`). */
  area: 'worker' | 'volunteer' | 'elderHome' | 'family' | 'kiosk';
  /** Where to come back after the password change. */
  path: string;
  big?: boolean;
  /** Shown under the login form (e.g. the volunteer page's link to self-registration). */
  footer?: ReactNode;
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
        byCode={area === 'elderHome' || area === 'family'}
        footer={footer}
      />
    );
  if (me.mustChangePassword) return <Navigate to={`${CHANGE_PASSWORD_PATH}?next=${path}`} replace />;
  return children(me);
}

/** A large-type login for phones: by SMS code (elder, family) with the password as the second tab, or by password only. */
export function MobileLogin({
  tx,
  onLogin,
  big,
  byCode,
  footer,
}: {
  tx: { login: string; username: string; password: string };
  onLogin(u: string, p: string): Promise<unknown>;
  big?: boolean;
  /** Offer the login by phone number and code, and open on it. */
  byCode?: boolean;
  footer?: ReactNode;
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'code' | 'password'>(byCode ? 'code' : 'password');
  const size = big ? 22 : 16;
  return (
    <div className="zy-mobile-login" style={{ maxWidth: 420, margin: '0 auto', padding: 24, fontSize: size }}>
      {/* A field's error is read by the same eyes as its label: as large (AntD draws it at 14 px). */}
      <style>{`.zy-mobile-login .ant-form-item-explain{font-size:${size}px;line-height:1.4}`}</style>
      <Typography.Title level={2}>智养 · {tx.login}</Typography.Title>
      {byCode && (
        <div role="tablist" style={{ display: 'flex', gap: 8, marginBottom: 20 }}>
          {(['code', 'password'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              aria-selected={mode === m}
              onClick={() => setMode(m)}
              style={tabStyle(mode === m, size)}
            >
              {t(m === 'code' ? 'mobileLogin.byCode' : 'mobileLogin.byPassword')}
            </button>
          ))}
        </div>
      )}
      {mode === 'code' ? (
        <CodeLoginForm size={size} big={big} submitText={tx.login} />
      ) : (
        <PasswordLoginForm size={size} big={big} tx={tx} onLogin={onLogin} />
      )}
      {footer}
    </div>
  );
}

const BRAND = '#0b5d52';
const DANGER = '#a8071a';

const tabStyle = (active: boolean, size: number): CSSProperties => ({
  flex: 1,
  minHeight: 56,
  fontSize: size,
  fontWeight: active ? 700 : 400,
  color: active ? '#fff' : BRAND,
  background: active ? BRAND : '#fff',
  border: `2px solid ${BRAND}`,
  borderRadius: 12,
  cursor: 'pointer',
});

function PasswordLoginForm({
  size,
  big,
  tx,
  onLogin,
}: {
  size: number;
  big?: boolean;
  tx: { login: string; username: string; password: string };
  onLogin(u: string, p: string): Promise<unknown>;
}) {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return (
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
  );
}

/** Seconds before another code may be asked for (the server's limit: one a minute per number). */
const RESEND_SECONDS = 60;
const digitsOf = (v: unknown) => String(v ?? '').replace(/\D/g, '');

/**
 * Phone number → 获取验证码 (then a 60-second countdown) → the 6 digits from the text → 登录. The
 * keypad is numeric and the phone may fill the code from the message (autocomplete one-time-code).
 * Mistakes are said in a large line under the form, not in a toast that disappears.
 */
function CodeLoginForm({ size, big, submitText }: { size: number; big?: boolean; submitText: string }) {
  const { t } = useTranslation();
  const { refresh } = useAuth();
  const [form] = Form.useForm<{ phone: string; code: string }>();
  const [wait, setWait] = useState(0);
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const codeInput = useRef<InputRef | null>(null);

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  const input: CSSProperties = { fontSize: size, height: 56 };
  const label = (text: string) => <span style={{ fontSize: size }}>{text}</span>;

  async function sendCode() {
    setError(null);
    setNotice(null);
    try {
      await form.validateFields(['phone']);
    } catch {
      return;
    }
    setSending(true);
    try {
      await authApi.requestPhoneCode({ body: { phone: digitsOf(form.getFieldValue('phone')) } });
      setSent(true);
      setWait(RESEND_SECONDS);
      setNotice(t('mobileLogin.codeSent'));
      codeInput.current?.focus();
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) setWait(RESEND_SECONDS);
      setError(problemText(e, t));
    } finally {
      setSending(false);
    }
  }

  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={async (v) => {
        setError(null);
        if (!sent) {
          setError(t('mobileLogin.needCodeFirst'));
          return;
        }
        setBusy(true);
        try {
          await authApi.loginWithPhoneCode({ body: { phone: digitsOf(v.phone), code: digitsOf(v.code) }, quiet401: true });
          await refresh();
        } catch (e) {
          setError(problemText(e, t));
          setBusy(false);
        }
      }}
    >
      <Form.Item
        name="phone"
        label={label(t('mobileLogin.phone'))}
        rules={[
          {
            validator: async (_, v) => {
              if (!/^1[3-9][0-9]{9}$/.test(digitsOf(v))) throw new Error(t('mobileLogin.phoneInvalid'));
            },
          },
        ]}
      >
        <Input
          type="tel"
          inputMode="numeric"
          autoComplete="tel-national"
          maxLength={13}
          placeholder={t('mobileLogin.phoneHint')}
          style={input}
        />
      </Form.Item>
      <Button
        block
        onClick={sendCode}
        disabled={wait > 0 || sending}
        style={{ height: 56, fontSize: size, marginBottom: 16, color: BRAND, borderColor: BRAND, borderWidth: 2 }}
      >
        {sending ? t('mobileLogin.sending') : wait > 0 ? t('mobileLogin.resendIn', { seconds: wait }) : t('mobileLogin.getCode')}
      </Button>
      <Form.Item
        name="code"
        label={label(t('mobileLogin.code'))}
        rules={[
          {
            validator: async (_, v) => {
              if (!/^[0-9]{6}$/.test(digitsOf(v))) throw new Error(t('mobileLogin.codeInvalid'));
            },
          },
        ]}
      >
        <Input
          ref={codeInput}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={6}
          placeholder={t('mobileLogin.codeHint')}
          style={{ ...input, letterSpacing: 6 }}
        />
      </Form.Item>
      {notice && !error && (
        <p role="status" style={{ fontSize: size, color: BRAND, margin: '0 0 12px' }}>
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" style={{ fontSize: size, color: DANGER, fontWeight: 700, margin: '0 0 12px' }}>
          {error}
        </p>
      )}
      <Button
        type="primary"
        htmlType="submit"
        block
        loading={busy}
        style={{ height: big ? 64 : 56, fontSize: big ? 26 : 20, background: BRAND }}
      >
        {submitText}
      </Button>
    </Form>
  );
}

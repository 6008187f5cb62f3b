import { HeartFilled } from '@ant-design/icons';
import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../common/LanguageSwitch.tsx';

/** The centred card on a soft background used by the login and change-password pages. */
export function AuthScreen({ title, children }: { title: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Flex
      vertical
      style={{
        minHeight: '100vh',
        background: 'radial-gradient(ellipse at top left, #d9f2ec 0%, #f4f6f8 55%), #f4f6f8',
      }}
    >
      <Flex justify="flex-end" style={{ padding: '12px 20px' }}>
        <LanguageSwitch />
      </Flex>
      <Flex flex={1} align="center" justify="center" style={{ padding: '0 16px 64px' }}>
        <div style={{ width: '100%', maxWidth: 400 }}>
          <Flex align="center" justify="center" gap={12} style={{ marginBottom: 24 }}>
            <Flex
              align="center"
              justify="center"
              style={{
                width: 44,
                height: 44,
                borderRadius: 12,
                background: '#0f7b6c',
                boxShadow: '0 6px 16px rgba(15,123,108,.3)',
              }}
            >
              <HeartFilled style={{ color: '#fff', fontSize: 22 }} />
            </Flex>
            <Flex vertical style={{ lineHeight: 1.25 }}>
              <Typography.Text strong style={{ fontSize: 24 }}>
                {t('app.name')}
              </Typography.Text>
              <Typography.Text type="secondary">{t('app.title')}</Typography.Text>
            </Flex>
          </Flex>
          <Card style={{ boxShadow: '0 8px 28px rgba(16, 42, 38, 0.08)' }} styles={{ body: { padding: '28px 32px 12px' } }}>
            <Typography.Title level={4} style={{ marginTop: 0, marginBottom: 20 }}>
              {title}
            </Typography.Title>
            {children}
          </Card>
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginTop: 20, fontSize: 12 }}>
            {t('auth.footer')}
          </Typography.Paragraph>
        </div>
      </Flex>
    </Flex>
  );
}

import type { PrivilegeCard, PrivilegeCardStatus } from '@zhiyang/shared';
import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export const STATUS_COLOR: Record<PrivilegeCardStatus, string> = {
  checking: 'blue',
  passed: 'cyan',
  failed: 'orange',
  issued: 'green',
  rejected: 'red',
  revoked: 'default',
  replaced: 'default',
};

/** The status in Chinese, with 已过期 / 可续期 on an issued card. */
export function StatusTag({ card }: { card: PrivilegeCard }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      <Tag color={STATUS_COLOR[card.status]}>{t(`privilegeCards.statuses.${card.status}`)}</Tag>
      {card.expired && <Tag color="red">{t('privilegeCards.console.expired')}</Tag>}
      {card.renewalDue && !card.expired && <Tag color="gold">{t('privilegeCards.console.due')}</Tag>}
    </Space>
  );
}

/** One tag per source of the external data check: passed, failed or still waiting. */
export function CheckTags({ card }: { card: PrivilegeCard }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {(['hrss', 'police', 'health'] as const).map((source) => {
        const r = card.checks.find((c) => c.source === source);
        const name = t(`privilegeCards.sources.${source}`);
        if (!r)
          return (
            <Tag key={source} data-testid={`check-${source}`}>
              {t('privilegeCards.console.checkWaiting', { source: name })}
            </Tag>
          );
        return (
          <Tag key={source} color={r.passed ? 'green' : 'red'} data-testid={`check-${source}`}>
            {t(r.passed ? 'privilegeCards.console.checkPassed' : 'privilegeCards.console.checkFailed', { source: name })}
          </Tag>
        );
      })}
    </Space>
  );
}

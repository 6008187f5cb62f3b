import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { checkPassword, type PasswordProblem } from '@zhiyang/shared';
import { Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** The rules shown while typing; `tooLong` only appears once it is broken. */
const SHOWN: PasswordProblem[] = ['tooShort', 'tooFewClasses', 'containsUsername'];

/** A live checklist of the password rules of `@zhiyang/shared`. */
export function PasswordRules({ password, username }: { password: string; username?: string }) {
  const { t } = useTranslation();
  const problems = checkPassword(password, username);
  const rules = problems.includes('tooLong') ? [...SHOWN, 'tooLong' as const] : SHOWN;
  return (
    <Flex vertical gap={4} style={{ margin: '-8px 0 20px' }} data-testid="password-rules">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('password.rules')}
      </Typography.Text>
      {rules.map((rule) => {
        const broken = password.length > 0 && problems.includes(rule);
        const met = password.length > 0 && !broken;
        const color = broken ? '#cf1322' : met ? '#389e0d' : '#8c8c8c';
        const Icon = broken ? CloseCircleFilled : CheckCircleFilled;
        return (
          <Flex key={rule} gap={6} align="center" style={{ fontSize: 13, color }}>
            <Icon style={{ opacity: password.length ? 1 : 0.35 }} />
            <span>{t(`passwordProblem.${rule}`)}</span>
          </Flex>
        );
      })}
    </Flex>
  );
}

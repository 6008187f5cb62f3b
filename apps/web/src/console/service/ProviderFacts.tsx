import type { ProviderDetail, ProviderPatch } from '@zhiyang/shared';
import { App, Descriptions, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { providersApi } from '../../api/providers.ts';
import { problemText } from '../../app/problems.ts';
import { APPROVAL_COLOR } from './provider-ui.ts';

/** A provider's registration facts; a writer sets its slot length and capacity per slot here. */
export function ProviderFacts({ d, mayWrite, onSaved }: { d: ProviderDetail; mayWrite: boolean; onSaved(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const id = d.id;
  // Capacity per time slot, used by dispatch (docs/service-loop.md).
  const saveSlots = async (patch: ProviderPatch) => {
    try {
      await providersApi.updateProvider({ params: { id }, body: patch });
      message.success(t('service.catalogue.saved'));
      onSaved();
    } catch (err) {
      message.error(problemText(err, t));
    }
  };
  return (
    <Descriptions column={2} size="small" bordered>
      <Descriptions.Item label={t('service.providers.creditCode')}>{d.creditCode}</Descriptions.Item>
      <Descriptions.Item label={t('service.providers.legalPerson')}>{d.legalPerson ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('service.providers.status')}>
        <Tag color={APPROVAL_COLOR[d.approvalStatus]}>{t(`service.providers.approval.${d.approvalStatus}`)}</Tag>
        {d.statusReason}
      </Descriptions.Item>
      <Descriptions.Item label={t('service.providers.dishonest')}>
        {d.dishonest ? `${t('service.providers.dishonest')}：${d.dishonestReason ?? ''}` : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('service.providers.rating')}>{d.rating ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('service.providers.capacity')}>{d.dailyCapacity}</Descriptions.Item>
      <Descriptions.Item label={t('service.providers.slotCapacity')} span={2}>
        {mayWrite ? (
          <Space wrap>
            <Select
              size="small"
              style={{ width: 120 }}
              value={d.slotMinutes}
              aria-label={t('service.providers.slotMinutes')}
              options={[30, 60, 120, 180, 240].map((m) => ({
                value: m,
                label: t('service.providers.slotMinutesValue', { n: m }),
              }))}
              onChange={(m) => saveSlots({ slotMinutes: m as ProviderPatch['slotMinutes'] })}
            />
            <InputNumber
              size="small"
              min={1}
              max={10000}
              precision={0}
              aria-label={t('service.providers.slotCapacity')}
              placeholder={t('service.orders.slotUnlimited')}
              defaultValue={d.slotCapacity ?? undefined}
              key={`${d.id}-${d.slotCapacity}`}
              onBlur={(e) => {
                const v = e.target.value.trim() === '' ? null : Number(e.target.value);
                if (v !== d.slotCapacity) void saveSlots({ slotCapacity: v });
              }}
            />
            <Typography.Text type="secondary">{t('service.providers.slotHint')}</Typography.Text>
          </Space>
        ) : (
          t('service.providers.slotValue', {
            minutes: d.slotMinutes,
            n: d.slotCapacity ?? t('service.orders.slotUnlimited'),
          })
        )}
      </Descriptions.Item>
    </Descriptions>
  );
}

import {
  ELDER_CATEGORIES,
  ELDER_CATEGORY_LABELS_ZH,
  LIVING_SITUATION_LABELS_ZH,
  LIVING_SITUATIONS,
  SERVICE_CATEGORIES,
  type ServiceItem,
} from '@zhiyang/shared';
import { Checkbox, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { outsideRange } from '../../app/date-limits.ts';
import { ABILITY, ABILITY_ZH } from './policy-form.ts';

/** The policy's fields: name, kind, region, amount and period, validity, who qualifies. `locked`: an active policy (only name and end date change). */
export function PolicyFields({ locked, items }: { locked: boolean; items: ServiceItem[] }) {
  const { t } = useTranslation();
  return (
    <Row gutter={16}>
      <Col span={12}>
        <Form.Item name="name" label={t('service.policies.name')} rules={[{ required: true }]}>
          <Input placeholder="高龄老人居家养老服务积分" />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name="kind" label={t('service.policies.kind')}>
          <Select
            disabled={locked}
            placeholder={t('common.pleaseSelect')}
            options={(['points_grant', 'purchase_credit', 'family_bed'] as const).map((k) => ({
              value: k,
              label: t(`service.policies.kinds.${k}`),
            }))}
          />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name="regionCode" label={t('service.policies.region')} rules={[{ required: true }]}>
          <Input disabled={locked} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item
          name="amount"
          label={t('service.policies.amount')}
          tooltip={t('service.policies.amountHint')}
          rules={[{ required: true }]}
        >
          <InputNumber disabled={locked} min={1} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name="period" label={t('service.policies.period')}>
          <Radio.Group
            disabled={locked}
            options={(['year', 'month'] as const).map((k) => ({ value: k, label: t(`service.policies.periods.${k}`) }))}
          />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name="validFrom" label={t('service.policies.validFrom')}>
          <DatePicker disabled={locked} disabledDate={outsideRange('business')} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name="validTo" label={t('service.policies.validTo')}>
          <DatePicker disabledDate={outsideRange('business')} />
        </Form.Item>
      </Col>
      <Col span={4}>
        <Form.Item name="minAge" label={t('service.policies.minAge')}>
          <InputNumber disabled={locked} min={0} max={130} />
        </Form.Item>
      </Col>
      <Col span={4}>
        <Form.Item name="maxAge" label={t('service.policies.maxAge')}>
          <InputNumber disabled={locked} min={0} max={130} />
        </Form.Item>
      </Col>
      <Col span={16}>
        <Form.Item name="hukou" label={t('service.policies.hukouLocal')}>
          <Radio.Group
            disabled={locked}
            options={(['any', 'local', 'nonLocal'] as const).map((k) => ({
              value: k,
              label: t(`service.policies.hukou.${k}`),
            }))}
          />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item name="categoriesAny" label={t('service.policies.categoriesAny')}>
          <Select
            disabled={locked}
            placeholder={t('common.pleaseSelect')}
            mode="multiple"
            options={ELDER_CATEGORIES.map((c) => ({ value: c, label: ELDER_CATEGORY_LABELS_ZH[c] }))}
          />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item name="livingSituations" label={t('service.policies.livingSituations')}>
          <Select
            disabled={locked}
            placeholder={t('common.pleaseSelect')}
            mode="multiple"
            options={LIVING_SITUATIONS.map((c) => ({ value: c, label: LIVING_SITUATION_LABELS_ZH[c] }))}
          />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item name="abilityLevels" label={t('service.policies.abilityLevels')}>
          <Select
            disabled={locked}
            mode="multiple"
            placeholder={t('common.pleaseSelect')}
            options={ABILITY.map((c) => ({ value: c, label: ABILITY_ZH[c] }))}
          />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="coverCategories" label={t('service.policies.coverCategories')} extra={t('service.policies.coversHint')}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('service.policies.coversAll')}
            options={SERVICE_CATEGORIES.map((c) => ({ value: c, label: t(`service.catalogue.categories.${c}`) }))}
            data-testid="policy-cover-categories"
          />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="coverItemIds" label={t('service.policies.coverItems')}>
          <Select
            mode="multiple"
            allowClear
            optionFilterProp="label"
            placeholder={t('service.policies.coverItemsNone')}
            options={items.map((i) => ({ value: i.id, label: i.name }))}
            data-testid="policy-cover-items"
          />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="prorate" valuePropName="checked">
          <Checkbox disabled={locked}>{t('service.policies.prorate')}</Checkbox>
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="expireUnused" valuePropName="checked">
          <Checkbox disabled={locked}>{t('service.policies.expireUnused')}</Checkbox>
        </Form.Item>
      </Col>
    </Row>
  );
}

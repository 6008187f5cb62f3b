import type { Policy, ServiceItem } from '@zhiyang/shared';
import { Alert, App, Button, Card, Form, type FormInstance, List, Space } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { policiesApi } from '../../api/policies.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { PolicyFields } from './PolicyFields.tsx';
import { describeConditions, type PolicyFormValues, type Preview, policyBody } from './policy-form.ts';
import { yuan } from './types.ts';

/** Create a policy, or edit the one chosen in the table; preview who it reaches and what it costs before saving. */
export function PolicyForm({
  form,
  editing,
  preview,
  setPreview,
  onStopEdit,
  onSaved,
  items,
}: {
  form: FormInstance<PolicyFormValues>;
  editing: Policy | null;
  /** Who the form's policy reaches; cleared when a field or the policy being edited changes. */
  preview: Preview | null;
  setPreview(p: Preview | null): void;
  onStopEdit(): void;
  onSaved(): void;
  /** The catalogue, for the services the policy covers. */
  items: ServiceItem[];
}) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language !== 'en-US';
  const { me } = useAuth();
  const { message } = App.useApp();
  // An active policy may only change its name and end date; the server refuses the rest.
  const locked = editing !== null && editing.status !== 'draft';
  const body = () => policyBody(form.getFieldsValue());
  const fmt = (n: number, unit: 'points' | 'fen') =>
    unit === 'points' ? t('service.common.points', { v: n }) : t('service.common.yuan', { v: yuan(n) });
  return (
    <Card
      title={editing ? t('service.policies.editTitle', { name: editing.name }) : t('service.policies.create')}
      extra={editing && <Button onClick={onStopEdit}>{t('service.policies.cancelEdit')}</Button>}
    >
      {locked && <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('service.policies.activeHint')} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          kind: 'points_grant',
          period: 'year',
          amount: 300,
          minAge: 80,
          hukou: 'local',
          regionCode: me?.regionCode ?? '',
          prorate: true,
          expireUnused: true,
          validFrom: dayjs().startOf('year'),
        }}
        onValuesChange={() => setPreview(null)}
        onFinish={async () => {
          try {
            if (editing) {
              const b = body();
              await policiesApi.updatePolicy({
                params: { id: editing.id },
                body: locked ? { name: b.name, validTo: b.validTo, covers: b.covers } : b,
              });
              message.success(t('service.policies.saved'));
            } else await policiesApi.createPolicy({ body: body() });
            onSaved();
          } catch (e) {
            message.error(problemText(e, t));
          }
        }}
      >
        <PolicyFields locked={locked} items={items} />
        {preview && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('service.policies.previewResult', {
              n: preview.matching,
              budget: fmt(preview.budgetPerPeriod, preview.unit),
              year: fmt(preview.budgetPerYear, preview.unit),
            })}
            description={
              <List
                size="small"
                header={`${t('service.policies.sample')} · ${describeConditions(body().conditions, t, zh)}`}
                dataSource={preview.sample}
                renderItem={(e) => (
                  <List.Item>
                    {e.name} · {e.birthDate} · {e.regionCode}
                  </List.Item>
                )}
              />
            }
          />
        )}
        <Space>
          <Button
            onClick={async () => {
              try {
                setPreview(await policiesApi.previewPolicy({ body: { ...body(), name: body().name || 'preview' } }));
              } catch (e) {
                message.error(problemText(e, t));
              }
            }}
          >
            {t('service.policies.preview')}
          </Button>
          <Button type="primary" htmlType="submit">
            {editing ? t('service.policies.save') : t('service.policies.create')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

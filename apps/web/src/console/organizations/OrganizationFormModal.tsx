import { ORG_TYPES, type OrgType } from '@zhiyang/shared';
import { Alert, Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { applyFieldErrors, problemText } from '../../app/problems.ts';
import type { Org, OrgStatus } from '../../app/types.ts';
import { RegionTreeSelect } from '../common/RegionTreeSelect.tsx';

interface OrgForm {
  type: OrgType;
  name: string;
  regionCode: string;
  contactName?: string;
  contactPhone?: string;
  address?: string;
  status?: OrgStatus;
}

const FIELDS = ['type', 'name', 'regionCode', 'contactName', 'contactPhone', 'address', 'status'] as const;
const STATUSES: OrgStatus[] = ['active', 'suspended', 'closed'];

interface Props {
  open: boolean;
  org?: Org;
  /** Prefills the region of a new organisation (the header's region). */
  regionCode?: string | null;
  onClose(): void;
  onSaved(org: Org): void;
}

/** Create an organisation or edit one (status only when editing). */
export function OrganizationFormModal({ open, org, regionCode, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<OrgForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    if (org) {
      form.setFieldsValue({
        ...org,
        contactName: org.contactName ?? undefined,
        contactPhone: org.contactPhone ?? undefined,
        address: org.address ?? undefined,
      });
    } else if (regionCode) {
      form.setFieldsValue({ regionCode });
    }
  }, [open, org, regionCode, form]);

  async function submit(values: OrgForm) {
    setSaving(true);
    setError(null);
    const body = {
      ...values,
      contactName: values.contactName?.trim() || null,
      contactPhone: values.contactPhone?.trim() || null,
      address: values.address?.trim() || null,
    };
    try {
      onSaved(org ? await api.patch<Org>(`/organizations/${org.id}`, body) : await api.post<Org>('/organizations', body));
    } catch (err) {
      if (!applyFieldErrors(form, err, FIELDS)) setError(problemText(err, t));
    } finally {
      setSaving(false);
    }
  }

  const required = (field: string) => ({ required: true, whitespace: true, message: t('common.required', { field }) });
  const chosen = (field: string) => ({ required: true, message: t('common.select', { field }) });

  return (
    <Modal
      open={open}
      title={org ? t('organizations.edit') : t('organizations.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      mask={{ closable: false }}
      width={560}
      forceRender
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<OrgForm> form={form} layout="vertical" onFinish={submit} requiredMark="optional" style={{ marginTop: 20 }}>
        <Form.Item name="type" label={t('organizations.type')} rules={[chosen(t('organizations.type'))]}>
          <Select
            options={ORG_TYPES.map((type) => ({ value: type, label: t(`orgTypes.${type}`) }))}
            placeholder={t('common.select', { field: t('organizations.type') })}
          />
        </Form.Item>
        <Form.Item name="name" label={t('organizations.name')} rules={[required(t('organizations.name'))]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="regionCode" label={t('organizations.region')} rules={[chosen(t('organizations.region'))]}>
          <RegionTreeSelect allowClear={false} placeholder={t('common.select', { field: t('organizations.region') })} />
        </Form.Item>
        <Form.Item name="contactName" label={t('organizations.contactName')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="contactPhone" label={t('organizations.contactPhone')}>
          <Input inputMode="tel" maxLength={20} />
        </Form.Item>
        <Form.Item name="address" label={t('organizations.address')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} maxLength={200} />
        </Form.Item>
        {org && (
          <Form.Item name="status" label={t('organizations.status')}>
            <Select options={STATUSES.map((s) => ({ value: s, label: t(`orgStatus.${s}`) }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

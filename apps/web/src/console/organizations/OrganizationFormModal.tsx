import { ORG_STATUSES, ORG_TYPES, type Organization, type OrgStatus, type OrgType } from '@zhiyang/shared';
import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { organizationsApi } from '../../api/organizations.ts';
import { FormModal } from '../common/FormModal.tsx';
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

interface Props {
  open: boolean;
  org?: Organization;
  /** Prefills the region of a new organisation (the header's region). */
  regionCode?: string | null;
  onClose(): void;
  onSaved(org: Organization): void;
}

/** Create an organisation or edit one (status only when editing). */
export function OrganizationFormModal({ open, org, regionCode, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<OrgForm>();
  const initial: Partial<OrgForm> | undefined = org
    ? {
        ...org,
        contactName: org.contactName ?? undefined,
        contactPhone: org.contactPhone ?? undefined,
        address: org.address ?? undefined,
      }
    : regionCode
      ? { regionCode }
      : undefined;

  async function submit(values: OrgForm) {
    const body = {
      ...values,
      contactName: values.contactName?.trim() || null,
      contactPhone: values.contactPhone?.trim() || null,
      address: values.address?.trim() || null,
    };
    onSaved(
      org ? await organizationsApi.updateOrg({ params: { id: org.id }, body }) : await organizationsApi.createOrg({ body }),
    );
  }

  const required = (field: string) => ({ required: true, whitespace: true, message: t('common.required', { field }) });
  const chosen = (field: string) => ({ required: true, message: t('common.select', { field }) });

  return (
    <FormModal<OrgForm>
      open={open}
      title={org ? t('organizations.edit') : t('organizations.create')}
      form={form}
      mode="edit"
      fields={FIELDS}
      values={initial}
      onClose={onClose}
      onSubmit={submit}
      width={560}
    >
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
          <Select
            placeholder={t('common.pleaseSelect')}
            options={ORG_STATUSES.map((s) => ({ value: s, label: t(`orgStatus.${s}`) }))}
          />
        </Form.Item>
      )}
    </FormModal>
  );
}

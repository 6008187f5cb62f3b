import type { LicenceInput, ProviderDetail, StaffInput } from '@zhiyang/shared';
import { App, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { providersApi } from '../../api/providers.ts';
import { problemText } from '../../app/problems.ts';
import { loginNameRule } from '../common/loginNameRule.ts';
import { SiteFormModal } from './SiteFormModal.tsx';

/**
 * The small dialogs that add to a provider (a staff account, a site, a licence) or replace its
 * service areas. Each stays open on a problem (the message says why) and reloads what it changed.
 */
export function useProviderEditors(
  id: string | null,
  d: ProviderDetail | undefined,
  { onDetail, onStaff }: { onDetail(): void; onStaff(): void },
) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const addStaff = () => {
    let v = {} as StaffInput;
    modal.confirm({
      title: t('service.providers.addStaff'),
      content: (
        <Form layout="vertical" onValuesChange={(_, all) => (v = all)}>
          <Form.Item name="username" label={t('service.providers.username')} rules={[loginNameRule(t)]}>
            <Input />
          </Form.Item>
          <Form.Item name="name" label={t('service.providers.name')}>
            <Input />
          </Form.Item>
          <Form.Item name="careCertValidUntil" label={t('service.providers.careCert')}>
            <Input placeholder="2028-12-31" />
          </Form.Item>
          <Form.Item name="healthCertValidUntil" label={t('service.providers.healthCert')}>
            <Input placeholder="2027-06-30" />
          </Form.Item>
        </Form>
      ),
      onOk: async () => {
        try {
          if (!id) return;
          const r = await providersApi.addStaff({ params: { id }, body: v });
          modal.info({ title: r.name, content: t('service.providers.initialPassword', { pw: r.initialPassword }) });
          onStaff();
        } catch (err) {
          message.error(problemText(err, t));
          throw err;
        }
      },
    });
  };

  // The site dialog holds a map and a region picker, so it is a component of its own rather than a confirm.
  const [siteOpen, setSiteOpen] = useState(false);
  const addSite = () => setSiteOpen(true);
  const siteDialog = <SiteFormModal providerId={id} open={siteOpen} onClose={() => setSiteOpen(false)} onSaved={onDetail} />;

  const addLicence = () => {
    let v = {} as LicenceInput;
    modal.confirm({
      title: t('service.providers.addLicence'),
      content: (
        <Form layout="vertical" onValuesChange={(_, all) => (v = all)}>
          <Form.Item name="kind" label={t('service.providers.kind')}>
            <Input placeholder="营业执照" />
          </Form.Item>
          <Form.Item name="number" label={t('service.providers.number')}>
            <Input />
          </Form.Item>
          <Form.Item name="validUntil" label={t('service.providers.validUntil')}>
            <Input placeholder="2028-12-31" />
          </Form.Item>
        </Form>
      ),
      onOk: async () => {
        try {
          if (!id) return;
          await providersApi.addLicence({ params: { id }, body: v });
          onDetail();
        } catch (err) {
          message.error(problemText(err, t));
          throw err;
        }
      },
    });
  };

  const editAreas = () => {
    let codes = (d?.areas ?? []).join('\n');
    modal.confirm({
      title: t('service.providers.areas'),
      content: <Input.TextArea rows={8} defaultValue={codes} onChange={(e) => (codes = e.target.value)} />,
      onOk: async () => {
        try {
          if (!id) return;
          await providersApi.setAreas({ params: { id }, body: { regionCodes: codes.split(/[\s,，]+/).filter(Boolean) } });
          onDetail();
        } catch (err) {
          message.error(problemText(err, t));
          throw err;
        }
      },
    });
  };

  return { addStaff, addSite, siteDialog, addLicence, editAreas };
}

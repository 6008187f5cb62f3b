import { Col, Form, Input, InputNumber, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { providersApi } from '../../api/providers.ts';
import { MapPicker } from '../../common/map/MapPicker.tsx';
import { FormModal } from '../common/FormModal.tsx';
import { RegionTreeSelect } from '../common/RegionTreeSelect.tsx';
import { usePrefillOnlyCommunity } from '../common/useOnlyCommunity.ts';

interface SiteValues {
  name: string;
  regionCode: string;
  address?: string;
  lat?: number;
  lng?: number;
}

/**
 * Adds a service site to a provider: its community (pre-filled when the user has only one), its
 * address, and its point picked on the map or typed — the nearest-responder search and the
 * dispatch distance read it.
 */
export function SiteFormModal({
  providerId,
  open,
  onClose,
  onSaved,
}: {
  providerId: string | null;
  open: boolean;
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<SiteValues>();
  usePrefillOnlyCommunity(form, 'regionCode', open);
  const lat = Form.useWatch('lat', form);
  const lng = Form.useWatch('lng', form);
  const regionCode = Form.useWatch('regionCode', form);
  const address = Form.useWatch('address', form);
  const required = (field: string) => ({ required: true, message: t('common.required', { field }) });
  return (
    <FormModal<SiteValues>
      open={open}
      title={t('service.providers.addSite')}
      form={form}
      width={720}
      preserve={false}
      fields={['name', 'regionCode', 'address', 'lat', 'lng']}
      onClose={onClose}
      onSubmit={async (v) => {
        if (!providerId) return;
        await providersApi.addSite({
          params: { id: providerId },
          body: {
            name: v.name,
            regionCode: v.regionCode,
            address: v.address || null,
            lat: v.lat as number,
            lng: v.lng as number,
          },
        });
        onSaved();
        onClose();
      }}
    >
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="name" label={t('service.providers.name')} rules={[required(t('service.providers.name'))]}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="regionCode"
            label={t('organizations.region')}
            rules={[{ required: true, message: t('common.select', { field: t('organizations.region') }) }]}
          >
            <RegionTreeSelect placeholder={t('common.pleaseSelect')} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="address" label={t('service.providers.address')}>
        <Input maxLength={300} />
      </Form.Item>
      <MapPicker
        lat={lat}
        lng={lng}
        regionCode={regionCode}
        address={address}
        height={280}
        onChange={(p) => form.setFieldsValue({ lat: p.lat, lng: p.lng })}
      />
      <Row gutter={16} style={{ marginTop: 12 }}>
        <Col span={12}>
          <Form.Item name="lat" label={t('service.providers.lat')} rules={[required(t('service.providers.lat'))]}>
            <InputNumber min={-90} max={90} step={0.000001} precision={6} style={{ width: '100%' }} data-testid="site-lat" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="lng" label={t('service.providers.lng')} rules={[required(t('service.providers.lng'))]}>
            <InputNumber min={-180} max={180} step={0.000001} precision={6} style={{ width: '100%' }} data-testid="site-lng" />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}

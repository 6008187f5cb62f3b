import { parentCodeOf, type Region, regionLevelOf } from '@zhiyang/shared';
import { Form, Input, InputNumber, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { regionsApi } from '../../api/regions.ts';
import { useRegions } from '../../app/region.tsx';
import { MapPicker } from '../../common/map/MapPicker.tsx';
import { FormModal } from '../common/FormModal.tsx';

interface RegionForm {
  code: string;
  name: string;
  lat?: number | null;
  lng?: number | null;
}

const FIELDS = ['code', 'name', 'lat', 'lng'] as const;

interface Props {
  open: boolean;
  region?: Region;
  /** Prefills the code of a new region (the selected parent's code). */
  codePrefix?: string;
  onClose(): void;
  onSaved(region: Region): void;
}

/** Create a region (level and parent follow from the code) or rename / move its point. */
export function RegionFormModal({ open, region, codePrefix, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { nameOf } = useRegions();
  const [form] = Form.useForm<RegionForm>();
  const code = Form.useWatch('code', form) ?? '';
  const level = regionLevelOf(code);
  const parent = parentCodeOf(code);
  const lat = Form.useWatch('lat', form) ?? null;
  const lng = Form.useWatch('lng', form) ?? null;

  async function submit(values: RegionForm) {
    const point = { lat: values.lat ?? null, lng: values.lng ?? null };
    const saved = region
      ? await regionsApi.updateRegion({ params: { code: region.code }, body: { name: values.name, ...point } })
      : await regionsApi.createRegion({ body: { code: values.code.trim(), name: values.name, ...point } });
    onSaved(saved);
  }

  const derived = level
    ? [t(`regionLevels.${level}`), parent ? `${t('regions.parent')}: ${nameOf(parent) ?? parent}` : null]
        .filter(Boolean)
        .join(' · ')
    : t('regions.codeHint');

  return (
    <FormModal<RegionForm>
      open={open}
      title={region ? t('regions.edit') : t('regions.create')}
      form={form}
      mode="edit"
      fields={FIELDS}
      values={region ?? { code: codePrefix ?? '' }}
      onClose={onClose}
      onSubmit={submit}
      width={640}
    >
      <Form.Item
        name="code"
        label={t('regions.code')}
        extra={derived}
        rules={[
          { required: true, message: t('common.required', { field: t('regions.code') }) },
          {
            validator: async (_, value: string | undefined) => {
              if (value && !regionLevelOf(value.trim())) throw new Error(t('regions.codeInvalid'));
            },
          },
        ]}
      >
        <Input disabled={Boolean(region)} inputMode="numeric" maxLength={12} style={{ fontFamily: 'monospace' }} />
      </Form.Item>
      <Form.Item
        name="name"
        label={t('regions.name')}
        rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('regions.name') }) }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Space size={16} style={{ display: 'flex' }}>
        <Form.Item name="lat" label={t('regions.lat')}>
          <InputNumber min={-90} max={90} step={0.000001} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="lng" label={t('regions.lng')}>
          <InputNumber min={-180} max={180} step={0.000001} style={{ width: 200 }} />
        </Form.Item>
      </Space>
      {open && (
        <MapPicker
          lat={lat}
          lng={lng}
          regionCode={region?.code ?? (level ? code.trim() : null)}
          height={260}
          onChange={(p) => form.setFieldsValue({ lat: p.lat, lng: p.lng })}
        />
      )}
    </FormModal>
  );
}

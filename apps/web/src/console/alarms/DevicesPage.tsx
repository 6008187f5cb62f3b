import { DEVICE_TYPES, type Device, type DeviceType } from '@zhiyang/shared';
import { App, Button, Form, Input, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { devicesApi } from '../../api/devices.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatTime } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { RegionTreeSelect } from '../common/RegionTreeSelect.tsx';
import { type Secret, SecretModal } from '../common/SecretModal.tsx';
import { usePrefillOnlyCommunity } from '../common/useOnlyCommunity.ts';

/** The device registry: list, register (the secret is shown once), new secret, xlsx import. */
export function DevicesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const [page, setPage] = useState(1);
  const [q, setQ] = useState('');
  const [version, setVersion] = useState(0);
  const [registering, setRegistering] = useState(false);
  const [secret, setSecret] = useState<Secret | null>(null);
  const deviceSecret = (id: string, value: string): Secret => ({
    title: id,
    name: id,
    value,
    hint: t('safety.devices.secretOnce'),
  });
  const [form] = Form.useForm();
  // A community worker registers devices of her own community: it is filled in for her.
  usePrefillOnlyCommunity(form, 'regionCode', registering);
  const list = useFetch(
    (signal) => devicesApi.listDevices({ query: { page, limit: 20, q: q || undefined }, signal }),
    `${page}-${q}-${version}`,
  );
  const rotate = async (id: string) => {
    try {
      const r = await devicesApi.rotateSecret({ params: { id } });
      setSecret(deviceSecret(id, r.secret));
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('safety.devices.title')}
        </Typography.Title>
        <Space>
          <Input.Search
            allowClear
            placeholder={t('safety.devices.id')}
            onSearch={(v) => {
              setQ(v);
              setPage(1);
            }}
          />
          {can('device:write') && (
            <>
              <Upload
                accept=".xlsx,.csv"
                showUploadList={false}
                customRequest={async ({ file }) => {
                  const fd = new FormData();
                  fd.append('file', file as Blob);
                  try {
                    const r = await devicesApi.importDevices({ body: fd });
                    message.success(t('safety.devices.imported', { n: r.created.length, e: r.errors.length }));
                    setVersion((v) => v + 1);
                  } catch (e) {
                    message.error(problemText(e, t));
                  }
                }}
              >
                <Button>{t('safety.devices.import')}</Button>
              </Upload>
              <Button type="primary" onClick={() => setRegistering(true)}>
                {t('safety.devices.register')}
              </Button>
            </>
          )}
        </Space>
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ current: page, total: list.data?.total ?? 0, pageSize: 20, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('safety.devices.id'), dataIndex: 'id' },
          { title: t('safety.devices.type'), dataIndex: 'type', render: (v) => t(`safety.devices.types.${v}` as never) },
          { title: t('safety.devices.vendor'), dataIndex: 'vendor' },
          { title: t('safety.devices.elder'), dataIndex: 'elderName' },
          {
            title: t('safety.devices.status'),
            render: (_, d) => (
              <Tag color={d.online ? 'green' : 'default'}>
                {d.online ? t('safety.devices.online') : t('safety.devices.offlineTag')}
              </Tag>
            ),
          },
          { title: t('safety.devices.battery'), dataIndex: 'battery', render: (v) => (v === null ? '—' : `${v}%`) },
          { title: t('safety.devices.lastSeen'), dataIndex: 'lastSeenAt', render: formatTime },
          ...(can('device:write')
            ? [
                {
                  title: '',
                  render: (_: unknown, d: Device) => (
                    <Button size="small" onClick={() => void rotate(d.id)}>
                      {t('safety.devices.rotate')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <FormModal
        open={registering}
        title={t('safety.devices.register')}
        form={form}
        onClose={() => setRegistering(false)}
        onSubmit={async (v) => {
          const r = await devicesApi.register({
            body: {
              id: v.id,
              type: v.type as DeviceType,
              elderId: v.elderId || undefined,
              regionCode: v.regionCode || undefined,
              vendor: v.vendor || undefined,
            },
          });
          setRegistering(false);
          setSecret(deviceSecret(r.device.id, r.secret));
          setVersion((x) => x + 1);
        }}
      >
        <Form.Item name="id" label={t('safety.devices.id')} rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{3,64}$/ }]}>
          <Input />
        </Form.Item>
        <Form.Item name="type" label={t('safety.devices.type')} rules={[{ required: true }]}>
          <Select
            placeholder={t('common.pleaseSelect')}
            options={DEVICE_TYPES.map((x) => ({ value: x, label: t(`safety.devices.types.${x}` as never) }))}
          />
        </Form.Item>
        <Form.Item name="elderId" label={t('safety.devices.elderId')}>
          <Input />
        </Form.Item>
        <Form.Item name="regionCode" label={t('organizations.region')}>
          <RegionTreeSelect placeholder={t('common.pleaseSelect')} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="vendor" label={t('safety.devices.vendor')}>
          <Input />
        </Form.Item>
      </FormModal>
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
    </>
  );
}

import type { ServiceItem } from '@zhiyang/shared';
import {
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { catalogueApi } from '../../api/catalogue.ts';
import { api } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { NoticesCard } from './NoticesCard.tsx';
import { type Licence, type Page, type Provider, type ProviderDetail, type Staff, yuan } from './types.ts';

const APPROVAL_COLOR = { pending: 'gold', approved: 'green', rejected: 'default', suspended: 'red' } as const;
const LICENCE_COLOR = { valid: 'green', expiring: 'orange', expired: 'red' } as const;

/** Providers (服务商): the bureau's onboarding and supervision list; a provider sees itself. */
export function ProvidersPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [open, setOpen] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);
  const list = useFetch((signal) => api.get<Page<Provider>>('/providers', { limit: 200 }, { signal }), 'providers');
  const warnings = useFetch(
    (signal) => api.get<Page<Licence & { providerName: string }>>('/providers/licence-warnings', undefined, { signal }),
    'licence-warnings',
  );
  const [form] = Form.useForm();

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <NoticesCard kind="document" />
      <Card
        title={t('service.providers.title')}
        extra={
          can('provider:approve') && (
            <Button type="primary" onClick={() => setRegistering(true)}>
              {t('service.providers.register')}
            </Button>
          )
        }
      >
        <Table<Provider>
          rowKey="id"
          loading={list.loading}
          dataSource={list.data?.items}
          pagination={{ pageSize: 20 }}
          onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('service.providers.name'), dataIndex: 'name' },
            {
              title: t('service.providers.creditCode'),
              dataIndex: 'creditCode',
              render: (v) => <Typography.Text code>{v}</Typography.Text>,
            },
            {
              title: t('service.providers.status'),
              dataIndex: 'approvalStatus',
              render: (v: Provider['approvalStatus'], r) => (
                <Space size={4}>
                  <Tag color={APPROVAL_COLOR[v]}>{t(`service.providers.approval.${v}`)}</Tag>
                  {r.dishonest && <Tag color="volcano">{t('service.providers.dishonest')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('service.providers.rating'),
              dataIndex: 'rating',
              render: (v: number | null, r) => (v ? `${v} (${r.ratingCount})` : '—'),
            },
            { title: t('service.providers.capacity'), dataIndex: 'dailyCapacity' },
          ]}
        />
      </Card>
      {!!warnings.data?.items.length && (
        <Card title={t('service.providers.licenceWarnings')} size="small">
          <List
            size="small"
            dataSource={warnings.data.items}
            renderItem={(l) => (
              <List.Item>
                <Space>
                  <Tag color={LICENCE_COLOR[l.state]}>{t(`service.providers.licenceState.${l.state}`)}</Tag>
                  {l.providerName} · {l.kind} {l.number} · {l.validUntil}
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}
      <ProviderDrawer id={open} onClose={() => setOpen(null)} onChanged={() => list.reload()} />
      <FormModal
        open={registering}
        title={t('service.providers.register')}
        form={form}
        onClose={() => setRegistering(false)}
        onSubmit={async (v) => {
          await api.post('/providers', v);
          setRegistering(false);
          form.resetFields();
          list.reload();
        }}
      >
        <Form.Item name="name" label={t('service.providers.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="creditCode" label={t('service.providers.creditCode')} rules={[{ required: true, len: 18 }]}>
          <Input maxLength={18} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.Item name="regionCode" label={t('service.providers.region')} rules={[{ required: true }]}>
          <Input placeholder="990101001" />
        </Form.Item>
        <Form.Item name="legalPerson" label={t('service.providers.legalPerson')}>
          <Input />
        </Form.Item>
        <Form.Item name="dailyCapacity" label={t('service.providers.capacity')}>
          <InputNumber min={1} max={100000} />
        </Form.Item>
      </FormModal>
    </Space>
  );
}

function ProviderDrawer({ id, onClose, onChanged }: { id: string | null; onClose(): void; onChanged(): void }) {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const { message, modal } = App.useApp();
  const detail = useFetch(
    (signal) => (id ? api.get<ProviderDetail>(`/providers/${id}`, undefined, { signal }) : Promise.resolve(undefined)),
    `p-${id}`,
  );
  const staff = useFetch(
    (signal) => (id ? api.get<Page<Staff>>(`/providers/${id}/staff`, undefined, { signal }) : Promise.resolve(undefined)),
    `s-${id}`,
  );
  const catalogue = useFetch((signal) => catalogueApi.listItems({ signal }), 'drawer-items');
  const [prices, setPrices] = useState<Record<string, number | null> | null>(null);
  const d = detail.data;
  const itemName = (itemId: string) => catalogue.data?.items.find((i) => i.id === itemId)?.name ?? itemId;
  const saveOfferings = async () => {
    if (!prices) return;
    try {
      const items = Object.entries(prices)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([itemId, v]) => ({ itemId, priceFen: Math.round((v as number) * 100) }));
      await api.put(`/providers/${id}/offerings`, { items });
      setPrices(null);
      detail.reload();
    } catch (err) {
      message.error(problemText(err, t));
    }
  };
  const mayWrite = can('provider:write') && (me?.orgId === id || can('provider:approve'));
  // Capacity per time slot, used by dispatch (docs/service-loop.md).
  const saveSlots = async (patch: { slotMinutes?: number; slotCapacity?: number | null }) => {
    try {
      await api.patch(`/providers/${id}`, patch);
      message.success(t('service.catalogue.saved'));
      detail.reload();
    } catch (err) {
      message.error(problemText(err, t));
    }
  };

  const act = async (path: string, body: unknown = {}) => {
    try {
      await api.post(`/providers/${id}/${path}`, body);
      detail.reload();
      onChanged();
    } catch (err) {
      message.error(problemText(err, t));
    }
  };
  const withReason = (path: string) => {
    let reason = '';
    modal.confirm({
      title: t('service.common.reason'),
      content: <Input.TextArea onChange={(e) => (reason = e.target.value)} />,
      onOk: () => act(path, { reason }),
    });
  };
  const addStaff = () => {
    let v: Record<string, string> = {};
    modal.confirm({
      title: t('service.providers.addStaff'),
      content: (
        <Form layout="vertical" onValuesChange={(_, all) => (v = all)}>
          <Form.Item name="username" label={t('service.providers.username')}>
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
          const r = await api.post<Staff & { initialPassword: string }>(`/providers/${id}/staff`, v);
          modal.info({ title: r.name, content: t('service.providers.initialPassword', { pw: r.initialPassword }) });
          staff.reload();
        } catch (err) {
          message.error(problemText(err, t));
          throw err;
        }
      },
    });
  };

  const addSite = () => {
    let v: Record<string, string> = {};
    modal.confirm({
      title: t('service.providers.addSite'),
      content: (
        <Form layout="vertical" onValuesChange={(_, all) => (v = all)}>
          <Form.Item name="name" label={t('service.providers.name')}>
            <Input />
          </Form.Item>
          <Form.Item name="regionCode" label={t('service.providers.region')}>
            <Input placeholder="990101001001" />
          </Form.Item>
          <Form.Item name="address" label={t('service.providers.address')}>
            <Input />
          </Form.Item>
          <Space>
            <Form.Item name="lat" label={t('service.providers.lat')}>
              <Input placeholder="30.63" />
            </Form.Item>
            <Form.Item name="lng" label={t('service.providers.lng')}>
              <Input placeholder="104.06" />
            </Form.Item>
          </Space>
        </Form>
      ),
      onOk: async () => {
        try {
          await api.post(`/providers/${id}/sites`, { ...v, lat: Number(v.lat), lng: Number(v.lng) });
          detail.reload();
        } catch (err) {
          message.error(problemText(err, t));
          throw err;
        }
      },
    });
  };
  const addLicence = () => {
    let v: Record<string, string> = {};
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
          await api.post(`/providers/${id}/licences`, v);
          detail.reload();
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
          await api.put(`/providers/${id}/areas`, { regionCodes: codes.split(/[\s,，]+/).filter(Boolean) });
          detail.reload();
        } catch (err) {
          message.error(problemText(err, t));
          throw err;
        }
      },
    });
  };

  return (
    <Drawer open={!!id} onClose={onClose} width={720} title={d?.name} loading={detail.loading}>
      {d && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
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
                    onChange={(slotMinutes) => saveSlots({ slotMinutes })}
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
          {can('provider:approve') && (
            <Space wrap>
              {(d.approvalStatus === 'pending' || d.approvalStatus === 'rejected') && (
                <Button type="primary" onClick={() => act('approve')}>
                  {t('service.providers.approve')}
                </Button>
              )}
              {d.approvalStatus === 'pending' && (
                <Button onClick={() => withReason('reject')}>{t('service.providers.reject')}</Button>
              )}
              {d.approvalStatus === 'approved' && (
                <Button danger onClick={() => withReason('suspend')}>
                  {t('service.providers.suspend')}
                </Button>
              )}
              {d.approvalStatus === 'suspended' && (
                <Button onClick={() => act('reinstate')}>{t('service.providers.reinstate')}</Button>
              )}
              <Button
                danger={!d.dishonest}
                onClick={async () => {
                  await api
                    .put(`/providers/${id}/dishonesty`, { dishonest: !d.dishonest, reason: d.dishonest ? undefined : '监管检查' })
                    .catch((e) => message.error(problemText(e, t)));
                  detail.reload();
                  onChanged();
                }}
              >
                {d.dishonest ? t('service.providers.unlistDishonest') : t('service.providers.listDishonest')}
              </Button>
            </Space>
          )}
          <Card
            size="small"
            title={t('service.providers.licences')}
            extra={
              mayWrite && (
                <Button size="small" onClick={addLicence}>
                  {t('service.providers.addLicence')}
                </Button>
              )
            }
          >
            {d.licences.map((l) => (
              <div key={l.id}>
                <Tag color={LICENCE_COLOR[l.state]}>{t(`service.providers.licenceState.${l.state}`)}</Tag>
                {l.kind} {l.number} · {t('service.providers.validUntil')} {l.validUntil}
              </div>
            ))}
          </Card>
          <Card
            size="small"
            title={`${t('service.providers.areas')} (${d.areas.length})`}
            extra={
              mayWrite && (
                <Button size="small" onClick={editAreas}>
                  {t('service.common.edit')}
                </Button>
              )
            }
          >
            <Space wrap>
              {d.areas.map((a) => (
                <Tag key={a}>{a}</Tag>
              ))}
            </Space>
          </Card>
          <Card
            size="small"
            title={t('service.providers.sites')}
            extra={
              mayWrite && (
                <Button size="small" onClick={addSite}>
                  {t('service.providers.addSite')}
                </Button>
              )
            }
          >
            {d.sites.map((s) => (
              <div key={s.id}>
                {s.name} · {s.address ?? ''} ({s.lat.toFixed(4)}, {s.lng.toFixed(4)})
              </div>
            ))}
          </Card>
          <Card
            size="small"
            title={`${t('service.providers.offerings')} (${d.offerings.length})`}
            extra={
              mayWrite &&
              (prices ? (
                <Space>
                  <Button size="small" onClick={() => setPrices(null)}>
                    {t('service.common.cancel')}
                  </Button>
                  <Button size="small" type="primary" onClick={saveOfferings}>
                    {t('service.common.save')}
                  </Button>
                </Space>
              ) : (
                <Button
                  size="small"
                  onClick={() => setPrices(Object.fromEntries(d.offerings.map((o) => [o.itemId, o.priceFen / 100])))}
                >
                  {t('service.common.edit')}
                </Button>
              ))
            }
          >
            {prices ? (
              <Table<ServiceItem>
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={catalogue.data?.items}
                columns={[
                  { title: t('service.catalogue.name'), dataIndex: 'name' },
                  { title: t('service.catalogue.ceiling'), dataIndex: 'ceilingPriceFen', render: (v: number) => yuan(v) },
                  {
                    title: t('service.providers.price'),
                    render: (_, i) => (
                      <InputNumber
                        size="small"
                        min={0}
                        max={i.ceilingPriceFen / 100}
                        precision={2}
                        placeholder={t('service.providers.notOffered')}
                        value={prices[i.id] ?? null}
                        onChange={(v) => setPrices({ ...prices, [i.id]: v })}
                      />
                    ),
                  },
                ]}
              />
            ) : (
              <Space wrap>
                {d.offerings.map((o) => (
                  <Tag key={o.itemId}>
                    {itemName(o.itemId)} {t('service.common.yuan', { v: yuan(o.priceFen) })}
                  </Tag>
                ))}
              </Space>
            )}
          </Card>
          <Card
            size="small"
            title={`${t('service.providers.staff')} (${d.staffCount})`}
            extra={
              mayWrite && (
                <Button size="small" onClick={addStaff}>
                  {t('service.providers.addStaff')}
                </Button>
              )
            }
          >
            <Table<Staff>
              size="small"
              rowKey="userId"
              pagination={{ pageSize: 10 }}
              dataSource={staff.data?.items}
              columns={[
                { title: t('service.providers.name'), dataIndex: 'name' },
                {
                  title: t('service.providers.careLevel'),
                  dataIndex: 'careLevel',
                  render: (v: string | null) => (v ? t(`service.providers.levels.${v as 'junior'}`) : '—'),
                },
                { title: t('service.providers.careCert'), dataIndex: 'careCertValidUntil' },
                { title: t('service.providers.healthCert'), dataIndex: 'healthCertValidUntil' },
                {
                  title: t('service.providers.assignable'),
                  dataIndex: 'assignable',
                  render: (v: boolean) =>
                    v ? (
                      <Tag color="green">{t('service.providers.assignable')}</Tag>
                    ) : (
                      <Tag color="red">{t('service.providers.notAssignable')}</Tag>
                    ),
                },
              ]}
            />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

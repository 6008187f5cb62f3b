import type { ProviderDetail, StaffMember } from '@zhiyang/shared';
import { Button, Card, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { LICENCE_COLOR } from './provider-ui.ts';

interface CardProps {
  d: ProviderDetail;
  mayWrite: boolean;
  onAdd(): void;
}

/** A provider's licences with their validity. */
export function ProviderLicences({ d, mayWrite, onAdd }: CardProps) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={t('service.providers.licences')}
      extra={
        mayWrite && (
          <Button size="small" onClick={onAdd}>
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
  );
}

/** The regions a provider serves. */
export function ProviderAreas({ d, mayWrite, onAdd }: CardProps) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={`${t('service.providers.areas')} (${d.areas.length})`}
      extra={
        mayWrite && (
          <Button size="small" onClick={onAdd}>
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
  );
}

/** A provider's sites (where workers start from). */
export function ProviderSites({ d, mayWrite, onAdd }: CardProps) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={t('service.providers.sites')}
      extra={
        mayWrite && (
          <Button size="small" onClick={onAdd}>
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
  );
}

/** A provider's workers with their certificates and whether they may be assigned. */
export function ProviderStaff({ d, mayWrite, onAdd, staff }: CardProps & { staff: StaffMember[] | undefined }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={`${t('service.providers.staff')} (${d.staffCount})`}
      extra={
        mayWrite && (
          <Button size="small" onClick={onAdd}>
            {t('service.providers.addStaff')}
          </Button>
        )
      }
    >
      <Table<StaffMember>
        size="small"
        rowKey="userId"
        pagination={{ pageSize: 10 }}
        dataSource={staff}
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
  );
}
